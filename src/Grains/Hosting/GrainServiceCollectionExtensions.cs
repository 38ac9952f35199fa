using EventSeries.Grains.CheckIns;
using EventSeries.Grains.CheckIns.Capacity;
using EventSeries.Grains.CheckIns.Metrics;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Grains.Health;
using EventSeries.Grains.Lifecycle;
using EventSeries.Grains.Webhooks;
using EventSeries.Persistence.CheckIns;
using EventSeries.Persistence.Health;
using EventSeries.Persistence.Notifications;
using EventSeries.Persistence.Secrets;
using EventSeries.Persistence.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;

namespace EventSeries.Grains.Hosting;

/// <summary>The silo-local services grains depend on.</summary>
public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// The check-in path's per-silo parts: the rules cache and its change listener, the batched
    /// activation loader, the group-commit log writer and the scan-stream publisher; and the
    /// lifecycle sweeper that moves series on when their check-in windows open and close.
    /// </summary>
    public static IServiceCollection AddEventSeriesGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(DomainTime.System);
        services.AddSingleton<IIncomingGrainCallFilter, StoreErrorFilter>();
        services.TryAddSingleton<EventRulesCache>();
        services.AddSingleton<IChangeSubscriber, RulesChangeSubscriber>();
        services.AddHostedService<ChangeFeed>();
        services.TryAddSingleton<AccessLoader>();
        services.TryAddSingleton(sp => new LogWriterWindow(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<CheckinLogWriter>();
        services.TryAddSingleton<ScanEventPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ScanEventPublisher>());
        services.AddOptions<CapacityOptions>()
            .BindConfiguration(CapacityOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<LifecycleOptions>()
            .BindConfiguration(LifecycleOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<LifecycleSweeper>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LifecycleSweeper>());
        services.TryAddSingleton<SiloHealthStore>();
        services.TryAddSingleton<SiloHealthReporter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloHealthReporter>());
        return services.AddWebhookSending();
    }

    /// <summary>
    /// Outgoing webhooks: their options, the URL checks, the HTTP sender, and the per-silo dispatcher
    /// (check-in pump, waking senders, retention). Silos sign, so they need the secrets' key
    /// (<see cref="IntegrationOptions.SecretKey"/>) as the API does.
    /// </summary>
    private static IServiceCollection AddWebhookSending(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .BindConfiguration(WebhookOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<IntegrationOptions>()
            .BindConfiguration(IntegrationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SecretProtector>();
        services.TryAddSingleton<WebhookTargets>();
        services.TryAddSingleton<WebhookHttpSender>();
        services.TryAddSingleton<WebhookDispatcher>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
