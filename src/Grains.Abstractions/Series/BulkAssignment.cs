namespace EventSeries.Series;

/// <summary>
/// Every wristband of the series' event that matches, assigned in one statement without listing
/// UIDs: of a category, of an import (the wristbands it created or changed), both, or neither (all).
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.bulk-assignment")]
public sealed record class BulkAssignment(
    [property: Id(0)] string? Category,
    [property: Id(1)] Guid? ImportId);
