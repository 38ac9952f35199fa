namespace EventSeries.Series;

/// <summary>A category of a series: its limit (null when unlimited) and how many are assigned.</summary>
[GenerateSerializer, Immutable, Alias("es.series.category-limit-view")]
public sealed record class CategoryLimitView(
    [property: Id(0)] string Category,
    [property: Id(1)] int? MaxWristbands,
    [property: Id(2)] int Assigned);
