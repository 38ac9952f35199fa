using System.Net;
using System.Text.Json;

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
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
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
