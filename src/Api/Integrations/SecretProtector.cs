using System.Security.Cryptography;
using System.Text;
using EventSeries.Integrations;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Integrations;

/// <summary>
/// Encrypts signing secrets for the database with AES-256-GCM under the configured key
/// (<see cref="IntegrationOptions.SecretKey"/>). The organization, kind and secret id are the
/// associated data, so a ciphertext moved to another row fails to decrypt instead of signing for it.
/// </summary>
public sealed class SecretProtector(IOptions<IntegrationOptions> options)
{
    private const int NonceBytes = 12, TagBytes = 16;

    private readonly byte[]? _key = options.Value.SecretKey is { } text && IntegrationOptions.TryKey(text, out var key) ? key : null;

    /// <summary>Whether a key is configured.</summary>
    public bool IsConfigured => _key is not null;

    /// <summary>Identifies the key (not secret): the first 8 hex digits of its SHA-256.</summary>
    public string KeyId => _key is null ? "" : Convert.ToHexStringLower(SHA256.HashData(_key))[..8];

    /// <summary>nonce || ciphertext || tag.</summary>
    public byte[] Encrypt(Guid organizationId, IntegrationKind kind, Guid secretId, byte[] secret)
    {
        using var aes = new AesGcm(_key ?? throw NotConfigured(), TagBytes);
        var sealedBytes = new byte[NonceBytes + secret.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, secret, sealedBytes.AsSpan(NonceBytes, secret.Length), sealedBytes.AsSpan(NonceBytes + secret.Length), Associated(organizationId, kind, secretId));
        return sealedBytes;
    }

    /// <summary>The secret's key bytes, or null when it does not decrypt (another key, or a row tampered with).</summary>
    public byte[]? Decrypt(Guid organizationId, IntegrationKind kind, Guid secretId, byte[] sealedBytes)
    {
        if (_key is null || sealedBytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        using var aes = new AesGcm(_key, TagBytes);
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var secret = new byte[length];
        try
        {
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), secret, Associated(organizationId, kind, secretId));
            return secret;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] Associated(Guid organizationId, IntegrationKind kind, Guid secretId) =>
        Encoding.UTF8.GetBytes($"{organizationId:N}/{kind.Name()}/{secretId:N}");

    private static DomainException NotConfigured() => DomainException.Conflict(
        "integrations_not_configured", $"Webhook secrets need {IntegrationOptions.Section}:SecretKey on the API (base64 of 32 random bytes).");
}
