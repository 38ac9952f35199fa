namespace EventSeries.Api.Auth;

/// <summary>A presented token as the API keeps it: its SHA-256 and that hash in hex (never the secret).</summary>
public readonly record struct TokenKey(string Key, byte[] Hash)
{
    public static TokenKey Of(string secret)
    {
        var hash = TokenSecret.Hash(secret);
        return new TokenKey(Convert.ToHexString(hash), hash);
    }
}
