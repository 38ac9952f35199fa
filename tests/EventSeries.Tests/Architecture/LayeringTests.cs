using EventSeries.Domain.CheckIns;
using EventSeries.Grains.Series;
using EventSeries.Persistence.Stores;

namespace EventSeries.Tests.Architecture;

/// <summary>
/// The boundaries docs/architecture.md draws, as the compiler recorded them: the domain's model
/// and rules stand alone, grains reach the database only through Persistence, and production
/// hosts do not carry the development database launcher.
/// </summary>
public sealed class LayeringTests
{
    [Fact]
    public void TheDomain_ReferencesNeitherTheDatabaseNorTheOrleansRuntime()
    {
        var references = Names(typeof(ScanRules).Assembly);

        Assert.DoesNotContain(references, r => r.StartsWith("Npgsql", StringComparison.Ordinal) || r == "Dapper");
        Assert.DoesNotContain(references, r => r is "Orleans.Runtime" or "EventSeries.Persistence" or "EventSeries.Grains");
    }

    [Fact]
    public void Grains_UseNoDatabaseTypes_OnlyPersistence()
    {
        var references = Names(typeof(SeriesGrain).Assembly);

        Assert.Contains("EventSeries.Persistence", references);
        Assert.DoesNotContain(references, r => r.StartsWith("Npgsql", StringComparison.Ordinal) || r == "Dapper");
    }

    [Fact]
    public void Persistence_MapsToTheDomain_AndKnowsNoGrains()
    {
        var references = Names(typeof(SeriesStore).Assembly);

        Assert.Contains("EventSeries.Domain", references);
        Assert.DoesNotContain("EventSeries.Grains", references);
    }

    [Fact]
    public void ProductionHosts_DoNotUseTheDevelopmentDatabaseLauncher()
    {
        Assert.DoesNotContain("EventSeries.LocalDatabase", Names(typeof(EventSeries.Silo.Hosting.SiloHost).Assembly));
        Assert.DoesNotContain("EventSeries.LocalDatabase", Names(typeof(EventSeries.Api.Endpoints.SeriesEndpoints).Assembly));
    }

    private static List<string> Names(System.Reflection.Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name ?? "")];
}
