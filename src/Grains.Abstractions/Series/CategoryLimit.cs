namespace EventSeries.Series;

/// <summary>The most wristbands of one category that may be assigned to a series.</summary>
[GenerateSerializer, Immutable, Alias("es.series.category-limit")]
public sealed record class CategoryLimit(
    [property: Id(0)] string Category,
    [property: Id(1)] int MaxWristbands);
