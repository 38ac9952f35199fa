using System.ComponentModel.DataAnnotations;

namespace EventSeries.Grains.CheckIns.Capacity;

/// <summary>How capacity shards settle reservations (configuration section <c>Capacity</c>).</summary>
public sealed class CapacityOptions : IValidatableObject
{
    public const string Section = "Capacity";

    /// <summary>
    /// How long a reserved place waits for its row before the shard looks for it in the log and, if
    /// it is not there, takes the place back (the scan's silo died or froze before writing). Default
    /// 30 seconds: far longer than a write takes even on an overloaded machine (the fault harness saw
    /// answers take 11 s on a machine at load 18, and a 10 s timeout then gave places away early), so a place is never taken back from a scan still
    /// being written by a live silo. A row that still commits later is counted again when the shard
    /// sees it (<see cref="LateRowWatch"/>).
    /// </summary>
    public TimeSpan ReservationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a shard with open reservations checks them (real time). Default 2 seconds.</summary>
    public TimeSpan CheckPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a taken-back reservation is still watched for a late row. Default 10 minutes.</summary>
    public TimeSpan LateRowWatch { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a borrowing coordinator waits for each shard asked to give places up. Default 0.5 seconds.</summary>
    public TimeSpan SurrenderWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How often a shard whose count moved (or whose series is full) counts the log again, so an exit
    /// logged by a silo that died before telling the shard frees its place. Default 10 seconds.
    /// </summary>
    public TimeSpan RecountPeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After a borrow found no place because some shard did not answer in time (its silo frozen or
    /// dead), the coordinator lends only from its pool for this long instead of asking the shards
    /// again: at a full series every refused entry would otherwise wait <see cref="SurrenderWait"/>
    /// for that shard, one after the other. Default 0.5 seconds.
    /// </summary>
    public TimeSpan EmptyBorrowBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a wristband waits for its own capacity shard to take a place before it asks another
    /// shard (the entry's row then names that shard, and its exit gives the place back there), and
    /// how long a place given back is waited for before it is left to the retry. A shard on a frozen
    /// or dead silo must not hold up entries until membership votes the silo dead. Default 1 second:
    /// above a borrow's own wait (<see cref="SurrenderWait"/>), so a full series' borrow is not cut short.
    /// </summary>
    public TimeSpan ShardAnswerWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a shard waits for the coordinator (a borrow, its first lease, a freed place handed
    /// back) before it answers the entry or exit that wanted it without: an entry then hears that the
    /// coordinator is silent and may take a place another shard holds of its own; an exit is answered
    /// while the freed place goes on its way. A coordinator on a frozen silo must not hold up every
    /// scan at a full series until membership votes the silo dead. Default 0.75 seconds: above a
    /// borrow's own wait for the other shards (<see cref="SurrenderWait"/>) and below
    /// <see cref="ShardAnswerWait"/>, so the shard answers before the wristband gives up on it.
    /// </summary>
    public TimeSpan CoordinatorAnswerWait { get; set; } = TimeSpan.FromMilliseconds(750);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[]
                 {
                     (nameof(ReservationTimeout), ReservationTimeout), (nameof(CheckPeriod), CheckPeriod),
                     (nameof(LateRowWatch), LateRowWatch), (nameof(SurrenderWait), SurrenderWait),
                     (nameof(RecountPeriod), RecountPeriod), (nameof(EmptyBorrowBackoff), EmptyBorrowBackoff),
                     (nameof(ShardAnswerWait), ShardAnswerWait), (nameof(CoordinatorAnswerWait), CoordinatorAnswerWait),
                 })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{Section}:{name} must be longer than zero (it is {value}).", [name]);
            }
        }

        if (CoordinatorAnswerWait >= ShardAnswerWait)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(CoordinatorAnswerWait)} ({CoordinatorAnswerWait}) must be shorter than {Section}:{nameof(ShardAnswerWait)} ({ShardAnswerWait}): a shard must answer before the wristband gives up on it.",
                [nameof(CoordinatorAnswerWait), nameof(ShardAnswerWait)]);
        }
    }
}
