using System.Net;
using EventSeries.Series;

namespace EventSeries.Tests.Api;

/// <summary>Every move the seed's state machine lacks answers 409 over HTTP and changes nothing.</summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Postgres")]
public sealed class LifecycleApiTests(ApiFixture fixture)
{
    public static TheoryData<SeriesLifecycle, SeriesLifecycle> IllegalMoves()
    {
        var allowed = new HashSet<(SeriesLifecycle, SeriesLifecycle)>
        {
            (SeriesLifecycle.Draft, SeriesLifecycle.Scheduled), (SeriesLifecycle.Draft, SeriesLifecycle.Cancelled),
            (SeriesLifecycle.Scheduled, SeriesLifecycle.Active), (SeriesLifecycle.Scheduled, SeriesLifecycle.Cancelled),
            (SeriesLifecycle.Active, SeriesLifecycle.Completed), (SeriesLifecycle.Active, SeriesLifecycle.Cancelled),
        };
        var data = new TheoryData<SeriesLifecycle, SeriesLifecycle>();
        foreach (var from in Enum.GetValues<SeriesLifecycle>())
        {
            foreach (var to in Enum.GetValues<SeriesLifecycle>().Where(to => !allowed.Contains((from, to))))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IllegalMoves))]
    public async Task IllegalTransition_Answers409WithProblemDetails_AndChangesNothing(SeriesLifecycle from, SeriesLifecycle to)
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        foreach (var step in PathTo(from))
        {
            await s.TransitionAsync(step);
        }

        var before = await Db.FingerprintAsync(fixture.ConnectionString);
        var problem = await ApiClient.ProblemAsync(await client.PostAsync($"/api/series/{s.Series.Id}/transitions", new { to }), HttpStatusCode.Conflict, "illegal_transition");

        Assert.Contains($"cannot become {to.ToString().ToLowerInvariant()}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await Db.FingerprintAsync(fixture.ConnectionString));
        Assert.Equal(from, (await s.ReloadAsync()).Lifecycle);
    }

    [Fact]
    public async Task EndedSeries_CannotBeEditedAnyMore()
    {
        var tenant = await fixture.NewTenantAsync();
        using var client = fixture.Host.Client(tenant.Token);
        var s = await Scenario.CreateAsync(client, general: 1, vip: 0);
        await s.TransitionAsync(SeriesLifecycle.Cancelled, "storm");

        await ApiClient.ProblemAsync(
            await client.PutAsync($"/api/series/{s.Series.Id}", new { name = "Renamed", startsAt = s.Series.StartsAt, endsAt = s.Series.EndsAt }),
            HttpStatusCode.Conflict, "series_ended");
        await ApiClient.ProblemAsync(
            await client.PostAsync($"/api/series/{s.Series.Id}/wristbands", new { wristbandId = s.Wristbands[0].Id }), HttpStatusCode.Conflict, "series_ended");
    }

    private static SeriesLifecycle[] PathTo(SeriesLifecycle state) => state switch
    {
        SeriesLifecycle.Draft => [],
        SeriesLifecycle.Scheduled => [SeriesLifecycle.Scheduled],
        SeriesLifecycle.Active => [SeriesLifecycle.Scheduled, SeriesLifecycle.Active],
        SeriesLifecycle.Completed => [SeriesLifecycle.Scheduled, SeriesLifecycle.Active, SeriesLifecycle.Completed],
        _ => [SeriesLifecycle.Cancelled],
    };
}
