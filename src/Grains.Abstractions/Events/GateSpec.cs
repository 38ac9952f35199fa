namespace EventSeries.Events;

/// <summary>
/// The editable fields of a gate. <see cref="AllowedCategories"/> limits which wristband
/// categories the gate admits; empty means every category.
/// </summary>
[GenerateSerializer, Immutable, Alias("es.event.gate-spec")]
public sealed record class GateSpec(
    [property: Id(0)] string Name,
    [property: Id(1)] GateKind Kind,
    [property: Id(2)] GateStatus Status,
    [property: Id(3)] ImmutableArray<string> AllowedCategories);
