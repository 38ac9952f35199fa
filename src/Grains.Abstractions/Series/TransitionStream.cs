namespace EventSeries.Series;

/// <summary>
/// Names of the stream committed lifecycle transitions are published on (by the series' grain,
/// after the transaction that logged them): the scan stream's provider, its own namespace, keyed
/// by series id.
/// </summary>
public static class TransitionStream
{
    /// <summary>The stream provider (the same memory streams as the scans).</summary>
    public const string Provider = EventSeries.CheckIns.ScanStream.Provider;

    /// <summary>The stream namespace; the stream key is the series id.</summary>
    public const string Namespace = "series-transitions";
}
