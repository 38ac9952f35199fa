using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EventSeries.Api.Scans;

/// <summary>Registers <see cref="ScanOptions"/> (validated on start), <see cref="ScanRetry"/> and <see cref="ScanTelemetry"/>.</summary>
public static class ScanSetup
{
    /// <remarks>
    /// <see cref="ScanRetry"/> is only added when none is registered, so a test can bring one on a
    /// fake clock without replacing the <see cref="TimeProvider"/> Orleans itself runs on.
    /// </remarks>
    public static IServiceCollection AddEventSeriesScans(this IServiceCollection services)
    {
        services.AddOptions<ScanOptions>()
            .BindConfiguration(ScanOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ScanRetry>();
        services.TryAddSingleton<ScanTelemetry>();
        return services;
    }
}
