namespace EventSeries.Series;

/// <summary>A recurring parent series: its template (schedule of the first occurrence, gates, limits), its rule, and the first instances to generate.</summary>
[GenerateSerializer, Immutable, Alias("es.series.new-recurring")]
public sealed record class NewRecurringSeries(
    [property: Id(0)] NewSeries Template,
    [property: Id(1)] RecurrenceSpec Recurrence,
    [property: Id(2)] InstanceRequest Instances);
