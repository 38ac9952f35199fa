namespace EventSeries.CheckIns;

/// <summary>How a wristband maps to its capacity shard.</summary>
public static class CapacityShards
{
    /// <summary>Shards per series: enough to spread a series' gate traffic over silos.</summary>
    public const int Count = 8;

    /// <summary>The shard of a wristband: stable across processes (from the id's bytes).</summary>
    public static int Of(Guid wristbandId)
    {
        Span<byte> bytes = stackalloc byte[16];
        wristbandId.TryWriteBytes(bytes);
        return (int)(BitConverter.ToUInt32(bytes[12..]) % Count);
    }

    public static string Key(Guid seriesId, int shard) => $"{seriesId:N}/{shard}";
}
