using EventSeries.Api.Hosting;
using EventSeries.Persistence;
using Microsoft.Extensions.Options;

namespace EventSeries.Silo;

/// <summary>
/// <c>activations</c>: joins the cluster as a client and prints, per active silo, how many grains it
/// holds (all, wristbands at the gates, capacity shards): how the cluster spread the work. Used by
/// the multi-silo benchmark; handy for an operator after a rolling restart.
/// </summary>
internal static class ActivationsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new() { Args = args });
        builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddEventSeriesDatabaseOptions();
        builder.Services.AddEventSeriesClusterIdentity();
        builder.UseOrleansClient(client => client.UseAdoNetClustering(o => o.Configure<IOptions<DatabaseOptions>>((clustering, database) =>
        {
            clustering.Invariant = DatabaseOptions.Invariant;
            clustering.ConnectionString = database.Value.ConnectionString;
        })));
        using var host = builder.Build();
        await host.StartAsync();
        var statistics = await host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        Console.WriteLine($"{"silo",-28} {"grains",8} {"wristbands",11} {"shards",7}");
        foreach (var silo in statistics.GroupBy(s => s.SiloAddress.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // The statistic names a grain by its class, with namespace and assembly ("…WristbandAccessGrain,EventSeries.Grains"),
            // or by its grain type ("wristband-access"), depending on the runtime: match either.
            int Count(string className, string grainType) => silo
                .Where(s => s.GrainType.Contains(className, StringComparison.Ordinal) || s.GrainType == grainType)
                .Sum(s => s.ActivationCount);
            Console.WriteLine($"{silo.Key,-28} {silo.Sum(s => s.ActivationCount),8} {Count("WristbandAccessGrain", "wristband-access"),11} {Count("CapacityShardGrain", "capacity-shard"),7}");
        }

        await host.StopAsync();
        return 0;
    }
}
