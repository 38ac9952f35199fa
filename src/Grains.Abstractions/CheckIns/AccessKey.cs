namespace EventSeries.CheckIns;

/// <summary>The key of a wristband's access grain: the event and the NFC UID, as scanners know them.</summary>
public static class AccessKey
{
    public static string For(Guid eventId, string nfcId) => $"{eventId:N}/{nfcId}";

    public static (Guid EventId, string NfcId) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return (Guid.ParseExact(key[..slash], "N"), key[(slash + 1)..]);
    }
}
