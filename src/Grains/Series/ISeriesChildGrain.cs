using EventSeries.Series;

namespace EventSeries.Grains.Series;

/// <summary>
/// What a recurring parent asks of its children, implemented by the same series grain. It lives in
/// the Grains project, not in Grains.Abstractions, so the API (which references only the
/// abstractions) cannot call it: a child changes this way only on its parent's behalf.
/// </summary>
[Alias("es.series.child")]
public interface ISeriesChildGrain : IGrainWithGuidKey
{
    /// <summary>Takes the schedule its parent computed for it, unless this child has started or ended (then false).</summary>
    [Alias("apply-parent-spec")]
    Task<bool> ApplyParentSpecAsync(Caller caller, SeriesSpec spec);

    /// <summary>Cancels this child with its parent, unless it has started or ended (then false).</summary>
    [Alias("cancel-with-parent")]
    Task<bool> CancelWithParentAsync(Caller caller, string? reason);
}
