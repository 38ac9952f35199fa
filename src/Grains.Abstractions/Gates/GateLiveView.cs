using EventSeries.CheckIns;
using EventSeries.Events;

namespace EventSeries.Gates;

/// <summary>A gate right now: <see cref="Minutes"/> are the last 10 minutes, oldest first (the current one last).</summary>
[GenerateSerializer, Immutable, Alias("es.gate.live")]
public sealed record class GateLiveView(
    [property: Id(0)] Guid GateId,
    [property: Id(1)] Guid EventId,
    [property: Id(2)] string Name,
    [property: Id(3)] GateStatus Status,
    [property: Id(4)] ImmutableArray<GateMinute> Minutes,
    [property: Id(5)] GateLastScan? LastScan,
    [property: Id(6)] ImmutableArray<Guid> ScannersLastMinute,
    [property: Id(7)] bool Jammed,
    [property: Id(8)] string? JammedReason,
    [property: Id(9)] DateTimeOffset Since);

/// <summary>Scans and denials in one minute (its start, UTC).</summary>
[GenerateSerializer, Immutable, Alias("es.gate.minute")]
public sealed record class GateMinute([property: Id(0)] DateTimeOffset Minute, [property: Id(1)] int Scans, [property: Id(2)] int Denied);

/// <summary>The gate's latest scan: when, what it was answered and for which series (none for a wristband of no series, such as an unknown one).</summary>
[GenerateSerializer, Immutable, Alias("es.gate.last-scan")]
public sealed record class GateLastScan(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] Guid? SeriesId,
    [property: Id(2)] CheckinResult Result,
    [property: Id(3)] string Reason,
    [property: Id(4)] ScanDirection Direction,
    [property: Id(5)] string? Category);
