namespace EventSeries.Grains.Series;

/// <summary>
/// What a ticket's exchange tells the series it assigned a wristband to (or took one from): the
/// exchange writes the assignments in its own transaction, and the series' grain keeps the counts
/// per category in memory for its limits. In the Grains project, so the API cannot call it.
/// </summary>
[Alias("es.series.assignments")]
public interface ISeriesAssignmentsGrain : IGrainWithGuidKey
{
    /// <summary>Reads the series' assignment counts again.</summary>
    [Alias("assignments-changed")]
    Task AssignmentsChangedAsync();
}
