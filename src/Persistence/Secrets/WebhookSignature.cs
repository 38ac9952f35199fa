using System.Security.Cryptography;
using System.Text;

namespace EventSeries.Persistence.Secrets;

/// <summary>
/// Standard Webhooks signatures, written by hand (the NuGet package refuses a valid signature that is
/// not the first in the header): <c>webhook-signature</c> is a space-separated list of
/// <c>v1,&lt;base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")&gt;</c>, the key being the bytes the
/// <c>whsec_</c> secret encodes. A delivery is genuine when any listed signature matches any key.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The prefix of a secret as handed out.</summary>
    public const string SecretPrefix = "whsec_";

    /// <summary>A new secret: 32 random bytes, and the text to hand out once.</summary>
    public static (byte[] Key, string Text) NewSecret()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        return (key, SecretPrefix + Convert.ToBase64String(key));
    }

    /// <summary>The signature of a delivery (without the <c>v1,</c> prefix).</summary>
    public static byte[] Compute(byte[] key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }

    /// <summary>Whether any <c>v1</c> signature in <paramref name="header"/> matches the body under any of <paramref name="keys"/>.</summary>
    public static bool Verify(IEnumerable<byte[]> keys, string id, string timestamp, ReadOnlySpan<byte> body, string header)
    {
        var offered = new List<byte[]>();
        foreach (var part in header.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            // Other versions (v1a: ed25519) are not ours to check; a malformed one is simply no match.
            var comma = part.IndexOf(',', StringComparison.Ordinal);
            var decoded = new byte[32];
            if (comma > 0 && part[..comma] == "v1" && Convert.TryFromBase64String(part[(comma + 1)..], decoded, out var written) && written == 32)
            {
                offered.Add(decoded);
            }
        }

        var match = false;
        foreach (var key in keys)
        {
            var expected = Compute(key, id, timestamp, body);
            foreach (var signature in offered)
            {
                // Every comparison in constant time, and no early exit, so timing tells nothing.
                match |= CryptographicOperations.FixedTimeEquals(expected, signature);
            }
        }

        return match;
    }
}
