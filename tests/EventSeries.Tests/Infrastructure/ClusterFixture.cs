using EventSeries.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace EventSeries.Tests.Infrastructure;

/// <summary>
/// A two-silo in-process test cluster whose grains persist to a real PostgreSQL database, through
/// the same storage wiring as production (membership is the test harness's own).
/// </summary>
public sealed class ClusterFixture(PostgresServer postgres) : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>The domain clock of every silo in the cluster; tests move it forward only.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await postgres.CreateDatabaseAsync();
        var builder = new InProcessTestClusterBuilder(2);
        var connectionString = ConnectionString;
        var time = new DomainTime(Clock);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(time);
            silo.AddEventSeriesStorage(connectionString);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
