namespace EventSeries.CheckIns;

/// <summary>A capacity shard's answer to an entry that wants a place.</summary>
[GenerateSerializer, Alias("es.place-answer")]
public enum PlaceAnswer
{
    /// <summary>The place is reserved for the entry's row.</summary>
    Taken = 0,

    /// <summary>No place: the series is full (or the shard holds none and was told not to borrow).</summary>
    Full = 1,

    /// <summary>
    /// The shard holds no place and the coordinator, asked for one, did not answer in time (its silo
    /// frozen or dead): nothing is reserved; another shard may still hold a place of its own.
    /// </summary>
    CoordinatorSilent = 2,
}
