using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Domain.CheckIns;

/// <summary>A registered wristband as the gates see it.</summary>
public sealed record WristbandInfo(Guid Id, Guid OrganizationId, string Category, WristbandStatus Status)
{
    /// <summary>The status of the ticket the wristband was exchanged for, or null when it is paired to none.</summary>
    public TicketStatus? Ticket { get; init; }
}

/// <summary>
/// A wristband's presence in one series, folded from its log rows: the last presence position,
/// how many times it is inside (0 or 1 unless the series is unlimited) and its admitted entries.
/// A struct: every admitted scan replaces it, and a new object per scan in a long-lived grain's
/// dictionary would survive into the next garbage collection (a million grains make that costly).
/// </summary>
/// <param name="LastSeq">The presence sequence of its last logged scan in the series.</param>
/// <param name="Inside">How many times it is inside now.</param>
/// <param name="Entries">Its admitted entries.</param>
/// <param name="EntryShard">The capacity shard that counted its last entry (usually the wristband's own; another when its own did not answer): its exit gives the place back there.</param>
public readonly record struct Presence(int LastSeq, int Inside, int Entries, int? EntryShard = null)
{
    public static readonly Presence None = default;
}

/// <summary>
/// Everything an access grain loads on activation, all of it read from the tables and the log.
/// Earlier verdicts are not loaded: a retried scan id is refused by the log's unique index, and
/// only then is its first verdict read.
/// </summary>
public sealed record AccessSnapshot(
    WristbandInfo? Wristband,
    ImmutableHashSet<Guid> AssignedSeries,
    ImmutableDictionary<Guid, Presence> Presence)
{
    /// <summary>
    /// The event's <c>wristbands_version</c>, read before the wristband's row: an import that
    /// changed wristbands raises it, and a gate holding an older one reads its row again.
    /// </summary>
    public long WristbandsVersion { get; init; }
}
