using System.Collections.Concurrent;
using EventSeries.Persistence.Imports;
using EventSeries.Persistence.Telemetry;
using Microsoft.Extensions.Logging;

namespace EventSeries.Api.Imports;

/// <summary>
/// Runs the merges of imports whose files are in, after their request was answered 202. A merge is
/// one transaction: if this process ends before it commits, nothing of the file was written, and
/// the job shows failed once its heartbeat is older than <see cref="ImportJobStore.Abandoned"/>.
/// Stopping the host waits for running merges (within the host's shutdown timeout).
/// </summary>
public sealed partial class ImportRunner(ImportJobStore jobs, DomainTime time, ILogger<ImportRunner> logger) : IHostedService
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(20);

    private readonly ConcurrentDictionary<Guid, Task> _running = new();

    public void Start(StagedImport staged, Caller caller, ImportMode mode)
    {
        var id = staged.Job.Id;
        _running[id] = Task.Run(async () =>
        {
            try
            {
                await MergeAsync(staged, caller, mode);
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        });
    }

    private static void CountRows(string kind, ImportCounts counts)
    {
        foreach (var (outcome, rows) in new[] { ("created", counts.Created), ("updated", counts.Updated), ("unchanged", counts.Unchanged), ("rejected", counts.Rejected) })
        {
            EventSeriesInstruments.ImportRows.Add(rows, new("kind", kind), new("outcome", outcome));
        }
    }

    private async Task MergeAsync(StagedImport staged, Caller caller, ImportMode mode)
    {
        var job = staged.Job;
        using var beating = new CancellationTokenSource();
        var heartbeat = BeatAsync(staged, beating.Token);
        try
        {
            await using (staged)
            {
                try
                {
                    // The series it assigned to have a new version: their grains read their rows
                    // again at their next call, so no grain is called here, per row or per series.
                    var counts = await staged.MergeAsync(caller, mode, CancellationToken.None);
                    await beating.CancelAsync();
                    CountRows(job.Kind, counts);
                }
                catch (ImportRefusedException e)
                {
                    await beating.CancelAsync();
                    await jobs.FailAsync(job.Id, e.Message, staged.RowsRead, staged.RejectedCount, staged.Sorted(), time.Now());
                }
            }
        }
        catch (Exception e)
        {
            await beating.CancelAsync();
            LogMergeFailed(logger, e, job.Id);
            try
            {
                await jobs.FailAsync(job.Id, "The import could not be merged (the database or the process failed); nothing of it was written. Import the file again.",
                    staged.RowsRead, staged.RejectedCount, staged.Sorted(), time.Now());
            }
            catch (Exception again)
            {
                LogMergeFailed(logger, again, job.Id); // the row shows it failed once its heartbeat is old
            }
        }
        finally
        {
            await heartbeat;
        }
    }

    private async Task BeatAsync(StagedImport staged, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Heartbeat, time.Provider, cancellationToken);
                await jobs.ProgressAsync(staged.Job.Id, staged.RowsRead, staged.RejectedCount, time.Now());
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            LogMergeFailed(logger, e, staged.Job.Id);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.WhenAll(_running.Values).WaitAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {JobId} failed while merging; nothing of it was written.")]
    private static partial void LogMergeFailed(ILogger logger, Exception exception, Guid jobId);
}
