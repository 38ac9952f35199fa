using EventSeries.Grains.Hosting;
using EventSeries.Persistence.Health;
using EventSeries.Persistence.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace EventSeries.Grains.Health;

/// <summary>
/// One per silo: every <see cref="Period"/> of the real clock, writes this silo's log writer minute
/// (<see cref="LogWriterWindow"/>) to <c>silo_health</c>, where any API process reads it for the
/// console's cluster health. A failed report is logged and the next one tries again.
/// </summary>
public sealed partial class SiloHealthReporter(
    SiloHealthStore store, LogWriterWindow window, ILocalSiloDetails silo, TimeProvider clock, ILogger<SiloHealthReporter> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How often a silo reports: the health view is at most this old.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    private PeriodicWork? _loop;

    /// <summary>This silo's key in <c>silo_health</c>, as the management grain names it.</summary>
    public string SiloKey => silo.SiloAddress.ToParsableString();

    public void Participate(ISiloLifecycle lifecycle)
    {
        _loop = new PeriodicWork(Period, clock, ReportAsync, e => LogReportFailed(logger, e));
        _loop.RunWhileActive(lifecycle, nameof(SiloHealthReporter));
    }

    /// <summary>One report now.</summary>
    public Task ReportAsync(CancellationToken cancellationToken = default) =>
        store.ReportAsync(SiloKey, clock.GetUtcNow(), window.Snapshot(), cancellationToken);

    public void Dispose() => _loop?.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Silo health report failed; the next one retries.")]
    private static partial void LogReportFailed(ILogger logger, Exception exception);
}
