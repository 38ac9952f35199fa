using EventSeries.Api.Auth;
using EventSeries.CheckIns;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Endpoints;

/// <summary>Where a series' capacity places are: for operators checking that none were lost.</summary>
public static class CapacityEndpoints
{
    public static IEndpointRouteBuilder MapCapacityEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/series/{seriesId:guid}/capacity", GetAsync).WithTags("Metrics").WithName("GetSeriesCapacity")
            .WithSummary("The capacity ledger: places in the coordinator's pool, each shard's lease and its own counts, and the occupancy the log holds. "
                         + "Places are conserved when pool plus every shard's budget equals capacity.");
        return app;
    }

    public static async Task<Ok<CapacityView>> GetAsync(Guid seriesId, HttpContext http, IGrainFactory grains, CheckinQueries queries)
    {
        var (capacity, insideLogged) = await queries.FindCapacityAsync(http.Caller(), seriesId);
        if (capacity is null)
        {
            return TypedResults.Ok(new CapacityView(null, 0, [], insideLogged));
        }

        var ledger = await grains.GetGrain<ISeriesCapacityGrain>(seriesId).TakeStockAsync();
        return TypedResults.Ok(new CapacityView(
            ledger.Capacity, ledger.Pool,
            [.. ledger.Leases.Select((lease, i) => new ShardView(i, lease, ledger.Shards[i]?.Budget, ledger.Shards[i]?.Inside, ledger.Shards[i]?.Reserved, ledger.Shards[i]?.HeldBack))],
            insideLogged));
    }
}

/// <summary>A series' capacity ledger.</summary>
/// <param name="Capacity">The series' capacity (null: unlimited, nothing is counted).</param>
/// <param name="Pool">Places the coordinator holds for no shard.</param>
/// <param name="Shards">Each shard: the coordinator's lease and the shard's own counts (null when it did not answer in time).</param>
/// <param name="InsideLogged">Wristbands inside according to the log (entries minus exits the shards counted).</param>
public sealed record CapacityView(int? Capacity, int Pool, IReadOnlyList<ShardView> Shards, int InsideLogged);

/// <summary>One capacity shard.</summary>
/// <param name="Shard">Its number.</param>
/// <param name="Lease">The places the coordinator counts as this shard's.</param>
/// <param name="Budget">The places the shard holds itself (never more than its lease).</param>
/// <param name="Inside">Its wristbands inside, reservations not yet logged included.</param>
/// <param name="Reserved">Reservations whose row the shard has not yet seen in the log.</param>
/// <param name="HeldBack">Places held as possibly taken after the shard's last activation ended unsettled (its silo died with writes in flight).</param>
public sealed record ShardView(int Shard, int Lease, int? Budget, int? Inside, int? Reserved, int? HeldBack);
