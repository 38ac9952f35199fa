using System.Reflection;
using EventSeries.Grains.Series;
using EventSeries.Health;
using EventSeries.Series;
using Orleans.Concurrency;

namespace EventSeries.Tests.Architecture;

/// <summary>
/// The API reaches grains only through Grains.Abstractions. What only grains and the silo's
/// background services may call (a child taking its parent's spec, the lifecycle sweep) is declared
/// in the Grains project, which the API does not reference, so the compiler keeps the API away.
/// </summary>
public sealed class GrainContractTests
{
    [Fact]
    public void TheApi_DoesNotReferenceTheGrainsAssembly_WhereTheInternalGrainInterfacesLive()
    {
        var api = typeof(EventSeries.Api.Endpoints.SeriesEndpoints).Assembly;
        var grains = typeof(ISeriesChildGrain).Assembly.GetName().Name;

        Assert.Equal(grains, typeof(ISeriesLifecycleGrain).Assembly.GetName().Name);
        Assert.DoesNotContain(grains, api.GetReferencedAssemblies().Select(a => a.Name));
    }

    [Fact]
    public void TheApisSeriesContract_OffersNoChildOrSweeperMethods()
    {
        var internalOnly = typeof(ISeriesChildGrain).GetMethods().Concat(typeof(ISeriesLifecycleGrain).GetMethods()).Select(m => m.Name).ToHashSet();
        var contracts = typeof(ISeriesGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t));

        var offered = contracts.SelectMany(t => t.GetMethods()).Select(m => m.Name).ToHashSet();
        Assert.Equal([], internalOnly.Where(offered.Contains));
    }

    /// <summary>A pure read (a Get…, or the readiness ping) may interleave with other reads of the same grain.</summary>
    [Fact]
    public void EveryGetterOfAGrainContract_IsReadOnlyOrAlwaysInterleaved()
    {
        var contracts = typeof(ISeriesGrain).Assembly.GetTypes().Concat(typeof(ISeriesChildGrain).Assembly.GetTypes())
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t) && t.Namespace?.StartsWith("EventSeries", StringComparison.Ordinal) == true);
        var reads = contracts.SelectMany(t => t.GetMethods().Select(m => (Type: t, Method: m)))
            .Where(x => x.Method.Name.StartsWith("Get", StringComparison.Ordinal) || x.Method.Name == nameof(IPingGrain.PingAsync));

        // The metrics grain is being reworked elsewhere (issue 11 leaves it to that change); the
        // capacity grain's GetLeaseAsync syncs and hands out a shard's lease, which is a write.
        var exempt = new HashSet<string> { "ISeriesMetricsGrain.GetAsync", "ISeriesCapacityGrain.GetLeaseAsync" };
        var unmarked = reads.Where(x => x.Method.GetCustomAttribute<ReadOnlyAttribute>() is null
                                        && x.Method.GetCustomAttribute<AlwaysInterleaveAttribute>() is null
                                        && !exempt.Contains($"{x.Type.Name}.{x.Method.Name}"))
            .Select(x => $"{x.Type.Name}.{x.Method.Name}");

        Assert.Empty(unmarked);
    }
}
