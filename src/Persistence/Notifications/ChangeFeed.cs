using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EventSeries.Persistence.Notifications;

/// <summary>
/// One connection per process that LISTENs on every channel its <see cref="IChangeSubscriber"/>s
/// need and hands each notification to them. If the connection breaks, changes may have been
/// missed, so every subscriber forgets everything once it is back (and while it is down).
/// </summary>
public sealed partial class ChangeFeed(NpgsqlDataSource db, IEnumerable<IChangeSubscriber> subscribers, ILogger<ChangeFeed> logger) : BackgroundService
{
    private readonly ILookup<string, IChangeSubscriber> _byChannel = subscribers.ToLookup(s => s.Channel, StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_byChannel.Count == 0)
        {
            return;
        }

        var delay = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    foreach (var subscriber in _byChannel[e.Channel])
                    {
                        subscriber.OnChanged(e.Payload);
                    }
                };
                foreach (var channel in _byChannel.Select(g => g.Key))
                {
                    // Channel names are this assembly's constants, never input.
                    await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                Gap();
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
                Gap();
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private void Gap()
    {
        foreach (var subscriber in _byChannel.SelectMany(g => g))
        {
            subscriber.OnGap();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the change feed from PostgreSQL; retrying in {Delay}.")]
    private static partial void LogListenFailed(ILogger logger, Exception exception, TimeSpan delay);
}
