using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace EventSeries.Tests.Integrations;

/// <summary>
/// A sender of Standard Webhooks deliveries, as a payment provider or CRM would be: signs with its
/// own HMAC code (not the API's), so a test fails if the API's verification is wrong.
/// </summary>
public sealed class WebhookSender(Uri baseAddress, Guid organizationId, string kind, string secret, FakeTimeProvider clock) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public string Secret { get; set; } = secret;

    /// <summary>Makes (or rotates) the kind's secret through the API as <paramref name="admin"/>, and a sender with it.</summary>
    public static async Task<WebhookSender> CreateAsync(ApiFixture fixture, ApiClient admin, Guid organizationId, string kind)
    {
        var issued = await admin.PostOkAsync<JsonElement>($"/api/organizations/{organizationId}/integrations/{kind}/secrets", new { });
        return new WebhookSender(fixture.Host.BaseAddress, organizationId, kind, issued.GetProperty("signingSecret").GetString()!, fixture.Clock);
    }

    /// <summary>The body as JSON, the way the sender writes it.</summary>
    public static string Body(string type, object data, DateTimeOffset? timestamp = null) =>
        JsonSerializer.Serialize(new { type, timestamp, data }, ApiClient.Json);

    /// <summary>Signs and posts <paramref name="body"/> (default id: new; default timestamp: the host's now).</summary>
    public Task<HttpResponseMessage> SendAsync(string body, string? id = null, DateTimeOffset? sentAt = null, string? signWith = null, string? kindOverride = null)
    {
        id ??= "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = (sentAt ?? clock.GetUtcNow()).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/integrations/{organizationId}/{kindOverride ?? kind}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", Sign(signWith ?? Secret, id, timestamp, body));
        return _http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends and reads a 200 answer.</summary>
    public async Task<JsonElement> SendOkAsync(string body, string? id = null) =>
        await ApiClient.ReadAsync<JsonElement>(await SendAsync(body, id), HttpStatusCode.OK);

    /// <summary><c>v1,</c> + base64 HMAC-SHA256 over "{id}.{timestamp}.{body}", keyed by the bytes after <c>whsec_</c>.</summary>
    public static string Sign(string secret, string id, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
    }

    public void Dispose() => _http.Dispose();
}
