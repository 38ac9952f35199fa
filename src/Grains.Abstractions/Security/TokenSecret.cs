using System.Security.Cryptography;
using System.Text;

namespace EventSeries.Security;

/// <summary>
/// Bearer token secrets: 256 random bits, shown once, stored only as a SHA-256 hash. A fast hash is
/// right here (unlike passwords) because the secret is long and random, so it cannot be guessed.
/// </summary>
public static class TokenSecret
{
    /// <summary>The prefix every secret starts with, so leaked tokens are easy to recognise.</summary>
    public const string Prefix = "es_";

    /// <summary>A new random secret.</summary>
    public static string Generate() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The stored form of a secret.</summary>
    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
