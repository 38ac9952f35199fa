using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace EventSeries.Tests.Api;

[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class HealthAndDocsTests(ApiFixture fixture)
{
    [Fact]
    public async Task Health_LiveAndReady_AnswerWithoutAToken()
    {
        using var client = fixture.Host.Client();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("cluster").GetString());
    }

    /// <summary>Readiness is public, so it says only healthy or not per check: no silo address, name or version.</summary>
    [Fact]
    public async Task Ready_ToAnonymousCallers_IsOnlyAStatusPerCheck()
    {
        using var client = fixture.Host.Client();
        var silo = fixture.Host.App.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>();

        var text = await (await client.GetAsync("/health/ready")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal("""{"status":"Healthy","checks":{"database":"Healthy","cluster":"Healthy"}}""", text);
        Assert.DoesNotContain(silo.SiloAddress.Endpoint.Address.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(silo.Name, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/api/organizations")]
    [InlineData("/api/series/not-a-series")]
    public async Task Responses_DoNotNameTheServerSoftware(string url)
    {
        using var client = fixture.Host.Client();

        var response = await client.GetAsync(url);

        Assert.False(response.Headers.Contains("Server"), $"{url}: Server: {string.Join(", ", response.Headers.Server)}");
    }

    [Fact]
    public async Task OpenApiDocument_IsTitledEventSeriesApi_WithAVersion()
    {
        using var client = fixture.Host.Client();

        var document = JsonDocument.Parse(await (await client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        var info = document.GetProperty("info");
        Assert.Equal("EventSeries API", info.GetProperty("title").GetString());
        Assert.Matches(@"^\d+\.\d+", info.GetProperty("version").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheSeriesEndpoints_AndTheUiIsServed()
    {
        using var client = fixture.Host.Client();
        var document = JsonDocument.Parse(await (await client.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var path in new[]
        {
            "/api/series", "/api/series/{seriesId}", "/api/series/{seriesId}/transitions", "/api/series/{seriesId}/gates",
            "/api/series/{seriesId}/gates/{gateId}", "/api/series/{seriesId}/categories", "/api/series/{seriesId}/wristbands",
            "/api/series/{seriesId}/wristbands/bulk", "/api/events", "/api/events/{eventId}/gates", "/api/events/{eventId}/wristbands",
        })
        {
            Assert.Contains(path, paths);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/scalar/")).StatusCode);
    }
}
