using EventSeries.Grains.Hosting;
using EventSeries.Grains.Series;
using EventSeries.Persistence.Jobs;
using EventSeries.Persistence.Lifecycle;
using EventSeries.Series;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace EventSeries.Grains.Lifecycle;

/// <summary>
/// Moves lifecycles on without anyone calling the API: when its silo becomes active (catching up
/// on whatever fell due while the cluster was down) and then every <see cref="LifecycleOptions.SweepPeriod"/>
/// of the domain clock, it reads the due series from PostgreSQL and asks each one's grain to
/// advance. The schedule is the rows themselves, so nothing needs re-registering after a restart;
/// the grain decides by the domain clock and is the single writer, so a repeated ask is harmless.
/// The same sweep wakes recurring parents with a running job (see <c>SeriesGrain.Jobs.cs</c>), so
/// a job stopped by a restart or a lost silo goes on without anyone asking.
/// </summary>
public sealed partial class LifecycleSweeper(
    DueSeriesStore store, SeriesJobStore jobs, IGrainFactory grains, DomainTime time, IOptions<LifecycleOptions> options, ILogger<LifecycleSweeper> logger)
    : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private PeriodicWork? _loop;

    // The domain clock drives the period, so tests move it instead of waiting.
    public void Participate(ISiloLifecycle lifecycle)
    {
        _loop = new PeriodicWork(options.Value.SweepPeriod, time.Provider, SweepAndLogAsync, e => LogSweepFailed(logger, e));
        _loop.RunWhileActive(lifecycle, nameof(LifecycleSweeper));
    }

    /// <summary>
    /// One sweep now: every series due by the domain clock is asked to advance. Waits for a sweep
    /// already running here or on another silo. Returns how many series were asked.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            await using var sweepLock = await store.LockSweepAsync(cancellationToken);
            var now = time.Now();
            var asked = 0;
            DueSeries? after = null;
            while (true)
            {
                var due = await sweepLock.FindDueAsync(now, after, options.Value.BatchSize, cancellationToken);
                foreach (var batch in due.Chunk(Math.Max(1, options.Value.Parallelism)))
                {
                    await Task.WhenAll(batch.Select(AdvanceAsync));
                }

                asked += due.Count;
                if (due.Count < options.Value.BatchSize)
                {
                    break;
                }

                after = due[^1];
            }

            foreach (var batch in (await jobs.FindParentsWithRunningJobsAsync(cancellationToken)).Chunk(Math.Max(1, options.Value.Parallelism)))
            {
                await Task.WhenAll(batch.Select(ResumeJobsAsync));
            }

            return asked;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    public void Dispose()
    {
        _loop?.Dispose();
        _oneAtATime.Dispose();
    }

    private async Task SweepAndLogAsync(CancellationToken cancellationToken)
    {
        var asked = await SweepAsync(cancellationToken);
        if (asked > 0)
        {
            LogSwept(logger, asked);
        }
    }

    private async Task AdvanceAsync(DueSeries series)
    {
        try
        {
            await grains.GetGrain<ISeriesLifecycleGrain>(series.Id).AdvanceLifecycleAsync();
        }
        catch (Exception e)
        {
            // One series failing (a database hiccup, a stale activation) must not stop the others; it
            // stays due and the next sweep asks again.
            LogAdvanceFailed(logger, e, series.Id);
        }
    }

    private async Task ResumeJobsAsync(Guid parentId)
    {
        try
        {
            await grains.GetGrain<ISeriesLifecycleGrain>(parentId).ResumeJobsAsync();
        }
        catch (Exception e)
        {
            // The job stays running in its row; the next sweep wakes its parent again.
            LogResumeFailed(logger, e, parentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lifecycle sweep asked {Count} due series to advance.")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lifecycle sweep failed; the next one retries.")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series {SeriesId} could not advance its lifecycle; the next sweep retries.")]
    private static partial void LogAdvanceFailed(ILogger logger, Exception exception, Guid seriesId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recurring series {SeriesId} could not resume its jobs; the next sweep retries.")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, Guid seriesId);
}
