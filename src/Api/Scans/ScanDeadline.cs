namespace EventSeries.Api.Scans;

/// <summary>
/// One scan request's deadline, on the injected clock. <see cref="Token"/> is cancelled when the
/// deadline passes or the client hangs up; every grain call and every pause between attempts waits
/// on it, so nothing outlives the deadline. Set as a request feature, so the exception handler can
/// tell a cancellation by the deadline (503, retry) from one by a client that left (no answer).
/// </summary>
public sealed class ScanDeadline : IDisposable
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly CancellationTokenSource _expiry;
    private readonly CancellationTokenSource _linked;

    public ScanDeadline(TimeSpan length, TimeProvider time, CancellationToken aborted)
    {
        _time = time;
        _started = time.GetTimestamp();
        Length = length;
        _expiry = new CancellationTokenSource(length, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_expiry.Token, aborted);
    }

    /// <summary>How long the whole scan may take.</summary>
    public TimeSpan Length { get; }

    /// <summary>Cancelled at the deadline or when the client hangs up.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Whether the deadline itself has passed (not merely the client gone).</summary>
    public bool HasExpired => _expiry.IsCancellationRequested;

    /// <summary>The time left before the deadline, never negative.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = Length - _time.GetElapsedTime(_started);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }

    public void Dispose()
    {
        _linked.Dispose();
        _expiry.Dispose();
    }
}
