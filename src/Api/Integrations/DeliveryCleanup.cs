using EventSeries.Persistence.Integrations;
using EventSeries.Persistence.Secrets;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Integrations;

/// <summary>
/// Forgets answered incoming deliveries older than <see cref="IntegrationOptions.DeliveryRetention"/>,
/// every <see cref="IntegrationOptions.DeliveryCleanupPeriod"/> of the domain clock, in every API
/// process: the delete is idempotent, so processes running it at once only share the work.
/// </summary>
public sealed partial class DeliveryCleanup(DeliveryStore deliveries, DomainTime time, IOptions<IntegrationOptions> options, ILogger<DeliveryCleanup> logger)
    : BackgroundService
{
    /// <summary>Raised after each pass with how many delivery ids were forgotten (for tests and logs).</summary>
    public event Action<long>? Cleaned;

    private PeriodicTimer? _timer;

    /// <summary>The period starts when the host starts (ExecuteAsync itself may start later, on the thread pool).</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(options.Value.DeliveryCleanupPeriod, time.Provider);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer!;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CleanOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass; a database fault is logged and the next period tries again.</summary>
    public async Task CleanOnceAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var forgotten = await deliveries.ForgetAnsweredBeforeAsync(time.Now() - options.Value.DeliveryRetention, cancellationToken);
            if (forgotten > 0)
            {
                LogForgotten(logger, forgotten);
            }

            Cleaned?.Invoke(forgotten);
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            LogFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Count} answered webhook deliveries past their retention.")]
    private static partial void LogForgotten(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not forget expired webhook deliveries; the next period tries again.")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
