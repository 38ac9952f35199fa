using System.Net;
using EventSeries.Api.Hosting;
using EventSeries.CheckIns;
using EventSeries.Grains;
using EventSeries.Grains.Hosting;
using EventSeries.Persistence;
using Orleans.Configuration;

namespace EventSeries.Silo.Hosting;

/// <summary>Wires a silo to PostgreSQL: membership, grain storage and reminders through the Orleans ADO.NET providers.</summary>
public static class SiloHostingExtensions
{
    /// <summary>The ADO.NET invariant of Npgsql (Orleans defaults to SQL Server's otherwise).</summary>
    public const string Invariant = "Npgsql";

    public static ISiloBuilder AddEventSeries(this ISiloBuilder silo, IConfiguration configuration, string connectionString)
    {
        silo.Configure<ClusterOptions>(o => ClusterIdentity.Apply(o, configuration));
        var advertised = IPAddress.Parse(configuration["Orleans:AdvertisedIP"] ?? IPAddress.Loopback.ToString());
        silo.ConfigureEndpoints(advertised, configuration.GetValue("Orleans:SiloPort", 11111), configuration.GetValue("Orleans:GatewayPort", 30000));
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        return silo.AddEventSeriesStorage(connectionString);
    }

    /// <summary>
    /// Everything but membership: grain storage, reminders and the domain's stores. Test clusters use
    /// this with their own membership, so grains are tested against the same PostgreSQL wiring.
    /// </summary>
    public static ISiloBuilder AddEventSeriesStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.AddAdoNetGrainStorage(StorageNames.Main, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(StorageNames.PubSub, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connectionString;
        });
        silo.AddMemoryStreams(ScanStream.Provider);
        silo.Services.AddEventSeriesPersistence(connectionString);
        silo.Services.AddEventSeriesGrainServices();
        return silo;
    }
}
