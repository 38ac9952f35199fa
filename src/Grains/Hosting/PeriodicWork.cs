namespace EventSeries.Grains.Hosting;

/// <summary>
/// The loop of a silo's periodic background work (the lifecycle sweep, the webhook poll): once at
/// once, then every period of the given clock until stopped; a failed round is reported and the
/// next one tries again, so one bad round never ends the loop.
/// </summary>
public static class PeriodicWork
{
    public static async Task RunAsync(
        TimeSpan period, TimeProvider clock, Func<CancellationToken, Task> round, Action<Exception> failed, CancellationToken stoppingToken)
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
