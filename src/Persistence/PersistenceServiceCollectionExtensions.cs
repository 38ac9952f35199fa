using EventSeries.Persistence.Audit;
using EventSeries.Persistence.CheckIns;
using EventSeries.Persistence.Exports;
using EventSeries.Persistence.Imports;
using EventSeries.Persistence.Integrations;
using EventSeries.Persistence.Jobs;
using EventSeries.Persistence.Lifecycle;
using EventSeries.Persistence.Queries;
using EventSeries.Persistence.Recurrence;
using EventSeries.Persistence.Rules;
using EventSeries.Persistence.Stores;
using EventSeries.Persistence.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EventSeries.Persistence;

/// <summary>Registers the PostgreSQL data source, the stores grains write through and the API's queries.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DatabaseOptions"/> to <c>ConnectionStrings:EventSeries</c>, checked when the
    /// host starts: the one place a host reads its connection string from configuration.
    /// </summary>
    public static IServiceCollection AddEventSeriesDatabaseOptions(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Uses <paramref name="connectionString"/> instead of configuration (test clusters).</summary>
    public static IServiceCollection AddEventSeriesPersistence(this IServiceCollection services, string connectionString)
    {
        services.AddOptions<DatabaseOptions>().Configure(o => o.ConnectionString = connectionString);
        return services.AddEventSeriesPersistence();
    }

    /// <summary>Adds one pooled <see cref="NpgsqlDataSource"/> for the domain tables (from <see cref="DatabaseOptions"/>), plus stores and queries.</summary>
    public static IServiceCollection AddEventSeriesPersistence(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new NpgsqlDataSourceBuilder(WithAutoPrepare(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString!)).Build());
        services.TryAddSingleton<OrganizationStore>();
        services.TryAddSingleton<EventStore>();
        services.TryAddSingleton<WristbandStore>();
        services.TryAddSingleton<SeriesStore>();
        services.TryAddSingleton<RecurringSeriesStore>();
        services.TryAddSingleton<DueSeriesStore>();
        services.TryAddSingleton<SeriesJobStore>();
        services.TryAddSingleton<ReadQueries>();
        services.TryAddSingleton<Health.SiloHealthStore>();
        services.TryAddSingleton<Webhooks.WebhookSubscriptionStore>();
        services.TryAddSingleton<Webhooks.WebhookOutboxStore>();
        services.TryAddSingleton<Webhooks.CheckinPumpStore>();
        services.TryAddSingleton<CheckinQueries>();
        services.TryAddSingleton<ExportQueries>();
        services.TryAddSingleton<FeedQueries>();
        services.TryAddSingleton<RulesStore>();
        services.TryAddSingleton<SeriesOwners>();
        services.TryAddSingleton<AccessStore>();
        services.TryAddSingleton<CapacityStore>();
        services.TryAddSingleton<MetricsStore>();
        services.TryAddSingleton<ScannerDeviceStore>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<TicketStore>();
        services.TryAddSingleton<TicketQueries>();
        services.TryAddSingleton<ImportJobStore>();
        services.TryAddSingleton<ImportStager>();
        services.TryAddSingleton<WristbandImporter>();
        services.TryAddSingleton<TicketImporter>();
        services.TryAddSingleton<IntegrationSecretStore>();
        services.TryAddSingleton<IntegrationLookups>();
        services.TryAddSingleton<DeliveryStore>();
        return services;
    }

    /// <summary>
    /// Prepares the statements run most often (unless the connection string says otherwise): the
    /// activation reads of cold wristbands spent ten times longer being planned than executed.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }
}
