using EventSeries.Persistence.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSeries.Grains.CheckIns.Rules;

/// <summary>
/// Holds one connection that LISTENs for rule changes and drops the changed event from this silo's
/// <see cref="EventRulesCache"/>. If the connection breaks, changes may have been missed, so the
/// whole cache is dropped once it is back.
/// </summary>
public sealed partial class ChangeListener(NpgsqlDataSource db, EventRulesCache cache, ILogger<ChangeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (ChangeNotifications.ParseEventId(e.Payload) is { } eventId)
                    {
                        cache.Invalidate(eventId);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotifications.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.InvalidateAll();
                delay = TimeSpan.FromMilliseconds(200);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogListenFailed(logger, e, delay);
                cache.InvalidateAll();
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the change feed from PostgreSQL; retrying in {Delay}.")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, TimeSpan delay);
}
