using EventSeries.Errors;
using System.Security.Cryptography;
using System.Text;
using EventSeries.Integrations;
using Microsoft.Extensions.Options;

namespace EventSeries.Persistence.Secrets;

/// <summary>
/// Encrypts signing secrets for the database with AES-256-GCM under the configured key
/// (<see cref="IntegrationOptions.SecretKey"/>). The organization, kind and secret id are the
/// associated data, so a ciphertext moved to another row fails to decrypt instead of signing for it.
/// </summary>
public sealed class SecretProtector(IOptions<IntegrationOptions> options)
{
    /// <summary>What outgoing webhook subscriptions' secrets are bound to (instead of an integration kind).</summary>
    public const string WebhookOutPurpose = "webhook-out";

    private const int NonceBytes = 12, TagBytes = 16;

    private readonly byte[]? _key = options.Value.SecretKey is { } text && IntegrationOptions.TryKey(text, out var key) ? key : null;

    // Keys from before the current one: decryption falls back to them until reencrypt-secrets ran.
    private readonly byte[][] _previous = [.. options.Value.PreviousSecretKeys
        .Where(t => !string.IsNullOrWhiteSpace(t))
        .Select(t => IntegrationOptions.TryKey(t, out var k) ? k : null).OfType<byte[]>()];

    /// <summary>Whether a key is configured.</summary>
    public bool IsConfigured => _key is not null;

    /// <summary>Identifies the key (not secret): the first 8 hex digits of its SHA-256.</summary>
    public string KeyId => _key is null ? "" : Convert.ToHexStringLower(SHA256.HashData(_key))[..8];

    /// <summary>nonce || ciphertext || tag.</summary>
    public byte[] Encrypt(Guid organizationId, IntegrationKind kind, Guid secretId, byte[] secret) =>
        Encrypt(organizationId, kind.Name(), secretId, secret);

    /// <summary>
    /// nonce || ciphertext || tag, bound to <paramref name="purpose"/> (an integration kind's name, or
    /// <c>webhook-out</c> for outgoing subscriptions), so a secret of one use never decrypts as another's.
    /// </summary>
    public byte[] Encrypt(Guid organizationId, string purpose, Guid secretId, byte[] secret)
    {
        using var aes = new AesGcm(_key ?? throw NotConfigured(), TagBytes);
        var sealedBytes = new byte[NonceBytes + secret.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceBytes, secret.Length), sealedBytes.AsSpan(NonceBytes + secret.Length), Associated(organizationId, purpose, secretId));
        return sealedBytes;
    }

    /// <summary>The secret's key bytes, or null when it does not decrypt (another key, or a row tampered with).</summary>
    public byte[]? Decrypt(Guid organizationId, IntegrationKind kind, Guid secretId, byte[] sealedBytes) =>
        Decrypt(organizationId, kind.Name(), secretId, sealedBytes);

    /// <summary>
    /// The secret's key bytes for <paramref name="purpose"/> (see <see cref="Encrypt(Guid, string, Guid, byte[])"/>),
    /// under the current key or, failing that, a previous one; null when none decrypts it.
    /// </summary>
    public byte[]? Decrypt(Guid organizationId, string purpose, Guid secretId, byte[] sealedBytes) =>
        _key is null ? null : Open(_key, organizationId, purpose, secretId, sealedBytes)
            ?? _previous.Select(k => Open(k, organizationId, purpose, secretId, sealedBytes)).FirstOrDefault(s => s is not null);

    /// <summary>
    /// The stored secret encrypted again under the current key, or null when no configured key
    /// decrypts it (for <c>reencrypt-secrets</c>).
    /// </summary>
    public byte[]? Reseal(Guid organizationId, string purpose, Guid secretId, byte[] sealedBytes) =>
        Decrypt(organizationId, purpose, secretId, sealedBytes) is { } secret ? Encrypt(organizationId, purpose, secretId, secret) : null;

    private static byte[]? Open(byte[] key, Guid organizationId, string purpose, Guid secretId, byte[] sealedBytes)
    {
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        using var aes = new AesGcm(key, TagBytes);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var secret = new byte[length];
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), secret, Associated(organizationId, purpose, secretId));
            return secret;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    // The same text as before purposes existed ("{organization}/{kind}/{id}"), so stored secrets still decrypt.
    private static byte[] Associated(Guid organizationId, string purpose, Guid secretId) =>
        Encoding.UTF8.GetBytes($"{organizationId:N}/{purpose}/{secretId:N}");

    private static DomainException NotConfigured() => DomainException.Conflict(
        "integrations_not_configured", $"Webhook secrets need {IntegrationOptions.Section}:SecretKey on the API and every silo (base64 of 32 random bytes).");
}
