using System.Net;
using EventSeries.CheckIns;
using EventSeries.Organizations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;

namespace EventSeries.Tests.Api;

/// <summary>
/// Metrics are refused before they cost anything: an unknown series leaves no cache row and no
/// activation (whose cache timer would write one later), the cache table itself refuses unknown
/// series, and a viewer may read metrics but not recompute them (a recompute writes the cache).
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class MetricsAccessTests(ApiFixture fixture)
{
    [Fact]
    public async Task Metrics_OfAMadeUpSeries_Are404_AndLeaveNoCacheRowNorActivation()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var madeUp = Guid.NewGuid();

        await ApiClient.ProblemAsync(await client.GetAsync($"/api/series/{madeUp}/metrics"), HttpStatusCode.NotFound, "not_found");
        await ApiClient.ProblemAsync(await client.PostAsync($"/api/series/{madeUp}/metrics/compute", new { }), HttpStatusCode.NotFound, "not_found");

        Assert.Equal(0, await CacheRowsAsync(madeUp));

        // An activation left behind would run the five-minute cache timer and write the row then.
        var grains = fixture.Host.App.Services.GetRequiredService<IGrainFactory>();
        var id = grains.GetGrain<ISeriesMetricsGrain>(madeUp).GetGrainId();
        var management = grains.GetGrain<IManagementGrain>(0);
        await Eventually.ValueAsync<List<GrainId>>(() => management.GetActiveGrains(id.Type).AsTask(), active => !active.Contains(id));
    }

    [Fact]
    public async Task MetricsCache_RefusesUnknownSeries_AndGoesWithItsSeries()
    {
        using var client = fixture.Host.Client((await fixture.NewTenantAsync()).Token);
        var g = await GateScenario.CreateAsync(client, fixture.Clock.GetUtcNow(), activate: false);
        await client.PostOkAsync<SeriesMetrics>($"/api/series/{g.Series.Id}/metrics/compute", new { }, HttpStatusCode.OK);
        Assert.Equal(1, await CacheRowsAsync(g.Series.Id));

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Db.CountAsync(
            fixture.ConnectionString,
            "INSERT INTO series_metrics_cache (series_id, computed_at, total_scans, allowed, denied, unique_wristbands, occupancy, metrics) VALUES (@s, now(), 0, 0, 0, 0, 0, '{}')",
            ("s", Guid.NewGuid())));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/series/{g.Series.Id}")).StatusCode);
        Assert.Equal(0, await CacheRowsAsync(g.Series.Id));
    }

    [Fact]
    public async Task AViewer_ReadsMetrics_ButMayNotRecomputeThem_403_AndWritesNothing()
    {
        var tenant = await fixture.NewTenantAsync();
        using var owner = fixture.Host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(owner, fixture.Clock.GetUtcNow());
        using var viewer = await MemberClientAsync(owner, tenant, "viewer");
        using var member = await MemberClientAsync(owner, tenant, "member");
        var before = await Db.FingerprintAsync(fixture.ConnectionString);

        await viewer.GetOkAsync<SeriesMetrics>($"/api/series/{g.Series.Id}/metrics");
        await ApiClient.ProblemAsync(await viewer.PostAsync($"/api/series/{g.Series.Id}/metrics/compute", new { }), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(0, await CacheRowsAsync(g.Series.Id));
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));

        // A member (who may scan, and so write the log) may refresh the cache.
        await member.PostOkAsync<SeriesMetrics>($"/api/series/{g.Series.Id}/metrics/compute", new { }, HttpStatusCode.OK);
        Assert.Equal(1, await CacheRowsAsync(g.Series.Id));
    }

    private Task<long> CacheRowsAsync(Guid seriesId) =>
        Db.CountAsync(fixture.ConnectionString, "SELECT count(*) FROM series_metrics_cache WHERE series_id = @s", ("s", seriesId));

    private async Task<ApiClient> MemberClientAsync(ApiClient owner, Tenant tenant, string role)
    {
        var added = await owner.PostOkAsync<MemberView>($"/api/organizations/{tenant.OrganizationId}/members", new { displayName = "M " + role, role });
        var token = await owner.PostOkAsync<IssuedToken>($"/api/organizations/{tenant.OrganizationId}/members/{added.UserId}/tokens", new { name = role });
        return fixture.Host.Client(token.Secret);
    }
}
