namespace EventSeries.Series;

/// <summary>What a recurring parent's background job does to its instances.</summary>
public enum SeriesJobKind
{
    /// <summary>Moves every instance that has not started to its occurrence of the parent's new schedule.</summary>
    ApplySpec,

    /// <summary>Cancels every instance that has not started, with its parent.</summary>
    CancelChildren,
}
