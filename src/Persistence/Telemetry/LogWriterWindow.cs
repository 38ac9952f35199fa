namespace EventSeries.Persistence.Telemetry;

/// <summary>
/// The check-in log writer's last minute in this process: each batch's size, commit time and
/// outcome, kept in a ring so the console's cluster health can say how fast this silo's log commits
/// (the histogram in <see cref="EventSeriesInstruments"/> is for Prometheus; this is for one glance).
/// </summary>
public sealed class LogWriterWindow(TimeProvider clock)
{
    /// <summary>How far back a snapshot looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    // Thousands of scans a second are a few hundred batches a second at most (group commit), so
    // 4096 samples cover the minute at any rate seen; past that the oldest fall out early.
    private const int Capacity = 4096;

    private readonly Batch[] _ring = new Batch[Capacity];
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    private readonly record struct Batch(DateTimeOffset At, int Rows, double Milliseconds, bool Committed);

    public void Record(int rows, TimeSpan commit, bool committed)
    {
        var at = clock.GetUtcNow();
        lock (_lock)
        {
            _ring[_next] = new Batch(at, rows, commit.TotalMilliseconds, committed);
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>The batches of the last <see cref="Window"/>.</summary>
    public LogWriterSnapshot Snapshot()
    {
        var since = clock.GetUtcNow() - Window;
        List<Batch> recent;
        lock (_lock)
        {
            recent = new List<Batch>(_count);
            for (var i = 0; i < _count; i++)
            {
                var batch = _ring[(_next - 1 - i + Capacity) % Capacity];
                if (batch.At >= since)
                {
                    recent.Add(batch);
                }
            }
        }

        var times = recent.Where(b => b.Committed).Select(b => b.Milliseconds).Order().ToArray();
        return new LogWriterSnapshot(
            Batches: recent.Count,
            Rows: recent.Where(b => b.Committed).Sum(b => (long)b.Rows),
            FailedBatches: recent.Count(b => !b.Committed),
            CommitP50Ms: Percentile(times, 0.50),
            CommitP99Ms: Percentile(times, 0.99),
            CommitMaxMs: times.Length == 0 ? null : times[^1]);
    }

    private static double? Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? null : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>The log writer's last minute: batches, rows committed, failures, commit times (null without a commit).</summary>
public sealed record LogWriterSnapshot(int Batches, long Rows, int FailedBatches, double? CommitP50Ms, double? CommitP99Ms, double? CommitMaxMs);
