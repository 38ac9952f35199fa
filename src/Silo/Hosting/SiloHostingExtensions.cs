using System.Net;
using EventSeries.Api.Hosting;
using EventSeries.CheckIns;
using EventSeries.Grains;
using EventSeries.Grains.Hosting;
using EventSeries.Persistence;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace EventSeries.Silo.Hosting;

/// <summary>
/// Wires a silo to PostgreSQL (<see cref="DatabaseOptions"/>): membership, grain storage and
/// reminders through the Orleans ADO.NET providers.
/// </summary>
public static class SiloHostingExtensions
{
    public static ISiloBuilder AddEventSeries(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<SiloNetworkSettings>()
            .BindConfiguration(SiloNetworkSettings.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Listening endpoints set explicitly: never all interfaces, only what is configured (loopback by default).
        silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloNetworkSettings>>((endpoints, settings) =>
        {
            var network = settings.Value;
            endpoints.AdvertisedIPAddress = network.Advertised();
            endpoints.SiloPort = network.SiloPort;
            endpoints.GatewayPort = network.GatewayPort;
            endpoints.SiloListeningEndpoint = new IPEndPoint(network.Listen(), network.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(network.Listen(), network.GatewayPort);
        });
        silo.UseAdoNetClustering(o => o.Configure<IOptions<DatabaseOptions>>((clustering, database) =>
        {
            clustering.Invariant = DatabaseOptions.Invariant;
            clustering.ConnectionString = database.Value.ConnectionString;
        }));
        silo.AddEventSeriesFailureDetection();
        return silo.AddEventSeriesStorage();
    }

    /// <summary>
    /// Everything but membership: grain storage, reminders and the domain's stores, on
    /// <paramref name="connectionString"/>. Test clusters use this with their own membership, so
    /// grains are tested against the same PostgreSQL wiring.
    /// </summary>
    public static ISiloBuilder AddEventSeriesStorage(this ISiloBuilder silo, string connectionString)
    {
        silo.Services.AddOptions<DatabaseOptions>().Configure(o => o.ConnectionString = connectionString);
        return silo.AddEventSeriesStorage();
    }

    /// <summary>Everything but membership, on the database of <see cref="DatabaseOptions"/>.</summary>
    public static ISiloBuilder AddEventSeriesStorage(this ISiloBuilder silo)
    {
        silo.AddAdoNetGrainStorage(StorageNames.Main, o => o.Configure<IOptions<DatabaseOptions>>(UseDatabase));
        silo.AddAdoNetGrainStorage(StorageNames.PubSub, o => o.Configure<IOptions<DatabaseOptions>>(UseDatabase));
        silo.UseAdoNetReminderService(o => o.Configure<IOptions<DatabaseOptions>>((reminders, database) =>
        {
            reminders.Invariant = DatabaseOptions.Invariant;
            reminders.ConnectionString = database.Value.ConnectionString;
        }));
        silo.AddMemoryStreams(ScanStream.Provider);
        silo.Services.AddEventSeriesPersistence();
        silo.Services.AddEventSeriesGrainServices();
        return silo;
    }

    private static void UseDatabase(AdoNetGrainStorageOptions storage, IOptions<DatabaseOptions> database)
    {
        storage.Invariant = DatabaseOptions.Invariant;
        storage.ConnectionString = database.Value.ConnectionString;
    }
}
