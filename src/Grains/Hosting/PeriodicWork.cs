using Orleans.Runtime;

namespace EventSeries.Grains.Hosting;

/// <summary>
/// The loop of a silo's periodic background work (the lifecycle sweep, the webhook poll, the health
/// report): started when the silo becomes active and stopped with it; it runs a round at once, then
/// every period of the given clock; a failed round is reported and the next one tries again, so one
/// bad round never ends the loop.
/// </summary>
public sealed class PeriodicWork(TimeSpan period, TimeProvider clock, Func<CancellationToken, Task> round, Action<Exception> failed) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>Starts the loop when the silo is <see cref="ServiceLifecycleStage.Active"/>, and stops it (waiting for a round under way) when the silo stops.</summary>
    public void RunWhileActive(ISiloLifecycle lifecycle, string name) =>
        lifecycle.Subscribe(name, ServiceLifecycleStage.Active, StartAsync, StopAsync);

    public void Dispose() => _stopping.Dispose();

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = RunAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, clock);
        do
        {
            try
            {
                await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
            }
        }
        while (await NextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
