using EventSeries.Grains.CheckIns;
using EventSeries.Grains.CheckIns.Metrics;
using EventSeries.Grains.CheckIns.Rules;
using EventSeries.Persistence.CheckIns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventSeries.Grains.Hosting;

/// <summary>The silo-local services grains depend on.</summary>
public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// The check-in path's per-silo parts: the rules cache and its change listener, the batched
    /// activation loader, the group-commit log writer and the scan-stream publisher.
    /// </summary>
    public static IServiceCollection AddEventSeriesGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(DomainTime.System);
        services.TryAddSingleton<EventRulesCache>();
        services.AddHostedService<ChangeListener>();
        services.TryAddSingleton<AccessLoader>();
        services.TryAddSingleton<CheckinLogWriter>();
        services.TryAddSingleton<ScanEventPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<ScanEventPublisher>());
        return services;
    }
}
