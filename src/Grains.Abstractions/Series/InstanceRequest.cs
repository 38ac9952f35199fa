namespace EventSeries.Series;

/// <summary>
/// How far a recurring series' instances should reach: the first <see cref="Count"/> occurrences of
/// the rule, or every occurrence starting at or before <see cref="Until"/> (both may be given; the
/// nearer wins; neither means the rule's own COUNT or UNTIL). Occurrences that already have a child
/// are never created again, so repeating a request changes nothing. New children start scheduled
/// when <see cref="Publish"/> is set, else as drafts.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.series.instance-request")]
public sealed record class InstanceRequest(
    [property: Id(0)] int? Count,
    [property: Id(1)] DateTimeOffset? Until,
    [property: Id(2)] bool Publish);
