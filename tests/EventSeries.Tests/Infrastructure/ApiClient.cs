using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EventSeries.Api.Hosting;

namespace EventSeries.Tests.Infrastructure;

/// <summary>A thin HTTP client speaking the API's JSON (enums by name), with a bearer token.</summary>
public sealed class ApiClient : IDisposable
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private readonly HttpClient _http;

    public ApiClient(HttpClient http, string? token)
    {
        _http = http;
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> DeleteAsync(string url) => _http.DeleteAsync(url, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PostAsync(string url, object body) =>
        _http.PostAsJsonAsync(url, body, Json, TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PutAsync(string url, object body) =>
        _http.PutAsJsonAsync(url, body, Json, TestContext.Current.CancellationToken);

    /// <summary>Sends <paramref name="body"/> (when not null) as JSON with any method; content that is already <see cref="HttpContent"/> goes as it is.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object? body) =>
        _http.SendAsync(
            new HttpRequestMessage(method, url) { Content = body as HttpContent ?? (body is null ? null : JsonContent.Create(body, body.GetType(), options: Json)) },
            TestContext.Current.CancellationToken);

    /// <summary>
    /// As <see cref="SendAsync"/>, but answers once the headers are in: the body of a stream (the
    /// live feed) never ends, so reading it whole would wait forever. Dispose the response to hang up.
    /// </summary>
    public Task<HttpResponseMessage> SendHeadersFirstAsync(HttpMethod method, string url, object? body, string? lastEventId = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body as HttpContent ?? (body is null ? null : JsonContent.Create(body, body.GetType(), options: Json)) };
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends a raw body exactly as given, for malformed-input tests.</summary>
    public Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string url, string body, string contentType = "application/json") =>
        _http.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, contentType) }, TestContext.Current.CancellationToken);

    /// <summary>GETs and reads the body, failing the test unless the status is 200.</summary>
    public async Task<T> GetOkAsync<T>(string url) => await ReadAsync<T>(await GetAsync(url), HttpStatusCode.OK);

    /// <summary>POSTs and reads the body, failing the test unless the status is <paramref name="expected"/>.</summary>
    public async Task<T> PostOkAsync<T>(string url, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await ReadAsync<T>(await PostAsync(url, body), expected);

    public async Task<T> PutOkAsync<T>(string url, object body) => await ReadAsync<T>(await PutAsync(url, body), HttpStatusCode.OK);

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    /// <summary>Asserts an RFC 7807 problem response with the status (and code, when given) and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }

        return problem;
    }

    public void Dispose() => _http.Dispose();

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiHostingExtensions.ConfigureJson(options);
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        return options;
    }
}
