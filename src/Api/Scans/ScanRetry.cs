using EventSeries.Api.Errors;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Scans;

/// <summary>
/// Runs a scan within its deadline (<see cref="ScanOptions"/>), retrying transient faults
/// (<see cref="TransientFaults"/>) when, and only when, the scan carries a scanId: the grain answers
/// a repeated scanId with its first verdict, so a retry can never admit twice, even when the first
/// attempt's row committed and only its answer was lost. A scan without a scanId is tried once: a
/// second try could be a second admission. Each attempt is bounded by the time left: a grain call
/// cannot be cancelled (the interfaces take no token), so the scan stops waiting for it instead,
/// and a frozen silo costs one deadline, not Orleans' response timeout.
/// </summary>
public sealed partial class ScanRetry(IOptions<ScanOptions> options, TimeProvider time, ILogger<ScanRetry> logger)
{
    /// <summary>Runs <paramref name="attempt"/> under a new deadline that is also set as the request's <see cref="ScanDeadline"/> feature.</summary>
    public Task<T> RunAsync<T>(HttpContext http, Guid? scanId, Func<Task<T>> attempt)
    {
        var deadline = StartDeadline(http.RequestAborted);
        http.Features.Set(deadline);
        http.Response.RegisterForDispose(deadline);
        return RunAsync(deadline, scanId, attempt);
    }

    /// <summary>A deadline starting now, cancelled early by <paramref name="aborted"/>.</summary>
    public ScanDeadline StartDeadline(CancellationToken aborted) => new(options.Value.Deadline, time, aborted);

    /// <summary>
    /// Tries until an attempt answers, a fault is not transient, there is no scanId, or the next
    /// pause would reach the deadline; the last fault (or the deadline's cancellation) is thrown.
    /// </summary>
    public async Task<T> RunAsync<T>(ScanDeadline deadline, Guid? scanId, Func<Task<T>> attempt)
    {
        for (var attempts = 1; ; attempts++)
        {
            Task<T>? call = null;
            try
            {
                call = attempt();
                return await call.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.HasExpired)
            {
                LogDeadlinePassed(logger, scanId, attempts, deadline.Length.TotalMilliseconds);
                Abandon(call);
                throw;
            }
            catch (Exception fault) when (scanId is not null && TransientFaults.IsTransient(fault) && !deadline.Token.IsCancellationRequested)
            {
                var pause = Pause(attempts);
                if (pause >= deadline.Remaining)
                {
                    LogGivingUp(logger, scanId, attempts, fault.GetType().Name);
                    throw;
                }

                LogRetrying(logger, scanId, attempts, fault.GetType().Name, pause.TotalMilliseconds);
                await Task.Delay(pause, time, deadline.Token);
            }
        }
    }

    // Doubling from the first delay up to the largest, less a random part of up to half.
    private TimeSpan Pause(int attempts)
    {
        var settings = options.Value;
        var doubled = settings.FirstRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 20));
        var ceiling = doubled < settings.MaxRetryDelay ? doubled : settings.MaxRetryDelay;
        return ceiling * (0.5 + (Random.Shared.NextDouble() / 2));
    }

    // A call the scan stopped waiting for still ends some time; its fault is nobody's to see.
    private static void Abandon(Task? call) =>
        call?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
