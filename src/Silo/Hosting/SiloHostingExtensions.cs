using System.Net;
using EventSeries.Api.Hosting;
using EventSeries.CheckIns;
using EventSeries.Grains;
using EventSeries.Grains.Hosting;
using EventSeries.Persistence;
using Microsoft.Extensions.Options;
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
        silo.Services.AddOptions<SiloNetworkSettings>()
            .BindConfiguration(SiloNetworkSettings.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Listening endpoints set explicitly: never all interfaces, only what is configured (loopback by default).
        silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloNetworkSettings>>((endpoints, settings) =>
        {
            var network = settings.Value;
            endpoints.AdvertisedIPAddress = network.Advertised;
            endpoints.SiloPort = network.SiloPort;
            endpoints.GatewayPort = network.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(network.Listen, network.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(network.Listen, network.GatewayPort);
        });
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
