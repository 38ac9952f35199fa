using System.Net;
using System.Net.Http.Headers;
using EventSeries.Api.Auth;

namespace EventSeries.Tests.Security;

/// <summary>
/// The failed-authentication throttle counts per client address: X-Forwarded-For is believed only
/// from a configured proxy, so a client cannot dodge the throttle by making up addresses.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class ForwardedHeadersTests(PostgresServer postgres)
{
    [Fact]
    public async Task ForwardedFor_FromAPeerThatIsNoConfiguredProxy_IsIgnored()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());

        // Every guess claims another client address; all of them come from this one peer.
        for (var i = 0; i < AuthenticationThrottle.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(host, $"es_spoof{i:D4}", $"198.51.100.{i + 1}")).StatusCode);
        }

        Assert.Equal((HttpStatusCode)429, (await GetAsync(host, "es_spoof-more", "198.51.100.200")).StatusCode);
    }

    [Fact]
    public async Task ForwardedFor_FromAConfiguredProxy_IsTheAddressTheThrottleCounts()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["EventSeries:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
        });

        for (var i = 0; i < AuthenticationThrottle.MaxFailures; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(host, $"es_proxied{i:D4}", "203.0.113.7")).StatusCode);
        }

        // The guesser behind the proxy is blocked; another client behind the same proxy is not.
        Assert.Equal((HttpStatusCode)429, (await GetAsync(host, "es_proxied-more", "203.0.113.7")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(host, "es_neighbour", "203.0.113.8")).StatusCode);
    }

    private static async Task<HttpResponseMessage> GetAsync(ApiHost host, string token, string forwardedFor)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/organizations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
