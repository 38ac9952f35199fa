using System.Net;
using EventSeries.Api.Contracts;
using EventSeries.Webhooks;

namespace EventSeries.Tests.Webhooks;

/// <summary>
/// A running system (silo + API on PostgreSQL) with fast webhook settings, an organization, and a
/// local receiver. Retries wait on the host's fake domain clock: tests move it, they never sleep.
/// </summary>
public sealed class WebhookWorld : IAsyncDisposable
{
    private WebhookWorld(ApiHost host, Tenant tenant, WebhookReceiver receiver)
    {
        Host = host;
        Tenant = tenant;
        Receiver = receiver;
    }

    public ApiHost Host { get; }

    public Tenant Tenant { get; }

    public WebhookReceiver Receiver { get; }

    /// <summary>The owner's client for the host as it runs now (a restart moves it to another port).</summary>
    public ApiClient Client
    {
        get
        {
            if (_client is null || _clientBase != Host.BaseAddress)
            {
                _client?.Dispose();
                _client = Host.Client(Tenant.Token);
                _clientBase = Host.BaseAddress;
            }

            return _client;
        }
    }

    private ApiClient? _client;
    private Uri? _clientBase;

    public string Base => $"/api/organizations/{Tenant.OrganizationId}/webhooks";

    /// <param name="settings">Overrides of the fast defaults below (e.g. the pause rule).</param>
    public static async Task<WebhookWorld> StartAsync(PostgresServer postgres, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["EventSeries:Webhooks:PollPeriod"] = "00:00:00.100",
            ["EventSeries:Webhooks:SendPeriod"] = "00:00:00.050",
            ["EventSeries:Webhooks:AttemptTimeout"] = "00:00:01",
            // No pause unless a test asks for one.
            ["EventSeries:Webhooks:PauseAfterFailures"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: all);
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        return new WebhookWorld(host, tenant, await WebhookReceiver.StartAsync());
    }

    /// <summary>Subscribes the receiver and gives it the secret, as an integrator would.</summary>
    public async Task<WebhookSubscriptionView> SubscribeAsync(params string[] types)
    {
        var issued = await Client.PostOkAsync<IssuedWebhookSubscription>(Base, new { url = Receiver.Url(), eventTypes = types });
        Receiver.UseSecret(issued.SigningSecret);
        return issued.Subscription;
    }

    public Task<WebhookSubscriptionView> GetAsync(Guid id) => Client.GetOkAsync<WebhookSubscriptionView>($"{Base}/{id}");

    public async Task<ImmutableArray<WebhookDeliveryView>> DeliveriesAsync(Guid id) =>
        (await Client.GetOkAsync<WebhookDeliveryPage>($"{Base}/{id}/deliveries?limit=500")).Items;

    /// <summary>
    /// The deliveries once at least <paramref name="count"/> exist and none is pending: a sender
    /// records an attempt after the receiver answered it, so a receiver's acceptance comes a moment
    /// before the delivery's status (reading right after <see cref="AcceptedAsync"/> races it).
    /// </summary>
    public Task<ImmutableArray<WebhookDeliveryView>> SettledDeliveriesAsync(Guid id, int count) =>
        Eventually.ValueAsync(() => DeliveriesAsync(id), d => d.Length >= count && d.All(x => x.Status != "pending"));

    public Task<ImmutableArray<WebhookAttemptView>> AttemptsAsync(Guid id, long deliveryId) =>
        Client.GetOkAsync<ImmutableArray<WebhookAttemptView>>($"{Base}/{id}/deliveries/{deliveryId}/attempts");

    /// <summary>Waits until the receiver accepted (2xx, de-duplicated) at least <paramref name="count"/> deliveries.</summary>
    public Task<IReadOnlyList<ReceivedDelivery>> AcceptedAsync(int count, Func<ReceivedDelivery, bool>? where = null) =>
        Eventually.ValueAsync(
            () => Task.FromResult<IReadOnlyList<ReceivedDelivery>>([.. Receiver.Accepted.Where(where ?? (_ => true))]), r => r.Count >= count, TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await Receiver.DisposeAsync();
        await Host.DisposeAsync();
    }

    public static HttpStatusCode Created => HttpStatusCode.Created;
}
