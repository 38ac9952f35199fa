using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EventSeries.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver for outgoing webhooks: Kestrel on a free loopback port, inside the test.
/// It checks each delivery's Standard Webhooks signature itself (its own HMAC, not the product's
/// code), answers what <see cref="Answer"/> says (200 by default; a status to fail on purpose, or
/// <see cref="Hang"/> to never answer), and records everything it saw.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>Sent instead of a status: the receiver holds the request until the sender gives up.</summary>
    public const int Hang = -1;

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedDelivery> _received = new();
    private int _sequence;
    private byte[] _key = [];

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>What to answer a delivery (called once per request): a status code, or <see cref="Hang"/>.</summary>
    public Func<ReceivedDelivery, int> Answer { get; set; } = _ => 200;

    public string Url(string path = "hook") => $"{_app.Urls.First()}/{path}";

    /// <summary>Every request, in arrival order, answered or not.</summary>
    public IReadOnlyList<ReceivedDelivery> All => [.. _received];

    /// <summary>The deliveries a receiver that de-duplicates by webhook-id processes: each id once, at its first 2xx.</summary>
    public IReadOnlyList<ReceivedDelivery> Accepted =>
        [.. _received.Where(r => r.Status is >= 200 and < 300).GroupBy(r => r.Id).Select(g => g.First()).OrderBy(r => r.Sequence)];

    /// <summary>Verifies signatures with this secret (as shown by the API: <c>whsec_</c> + base64).</summary>
    public void UseSecret(string secret)
    {
        Assert.StartsWith("whsec_", secret);
        _key = Convert.FromBase64String(secret["whsec_".Length..]);
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/{**path}", receiver.ReceiveAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var id = http.Request.Headers["webhook-id"].ToString();
        var timestamp = http.Request.Headers["webhook-timestamp"].ToString();
        var signature = http.Request.Headers["webhook-signature"].ToString();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.").Concat(body).ToArray()));
        var signed = signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
        var json = JsonDocument.Parse(body).RootElement.Clone();
        var delivery = new ReceivedDelivery(Interlocked.Increment(ref _sequence), id, timestamp, signed, json, http.Request.Path, 0);
        var status = Answer(delivery);
        if (status == Hang)
        {
            // Held until the sender's per-attempt timeout closes the connection.
            _received.Enqueue(delivery with { Status = Hang });
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return;
        }

        _received.Enqueue(delivery with { Status = status });
        http.Response.StatusCode = status;
    }
}

/// <summary>One request the receiver got; <see cref="Signed"/> when its signature verified under the current secret.</summary>
public sealed record ReceivedDelivery(int Sequence, string Id, string Timestamp, bool Signed, JsonElement Body, string Path, int Status)
{
    public string Type => Body.GetProperty("type").GetString()!;

    public JsonElement Data => Body.GetProperty("data");
}
