namespace EventSeries.Bench.Feed;

/// <summary>Latencies in whole milliseconds (up to a minute; beyond counts as a minute), shared by every stream without locks.</summary>
public sealed class LatencyHistogram
{
    private const int MaxMs = 60_000;
    private readonly long[] _counts = new long[MaxMs + 1];
    private long _total;

    public long Count => Interlocked.Read(ref _total);

    public void Add(double ms)
    {
        var bucket = (int)Math.Clamp(Math.Round(ms), 0, MaxMs);
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Increment(ref _total);
    }

    /// <summary>The latency at or below which <paramref name="fraction"/> of the samples fall.</summary>
    public int Percentile(double fraction)
    {
        var target = (long)Math.Ceiling(Count * fraction);
        long seen = 0;
        for (var ms = 0; ms <= MaxMs; ms++)
        {
            seen += Interlocked.Read(ref _counts[ms]);
            if (seen >= target && seen > 0)
            {
                return ms;
            }
        }

        return MaxMs;
    }
}
