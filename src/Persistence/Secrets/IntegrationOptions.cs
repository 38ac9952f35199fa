using System.ComponentModel.DataAnnotations;

namespace EventSeries.Persistence.Secrets;

/// <summary>
/// Webhook signing secrets, incoming and outgoing (section <c>EventSeries:Integrations</c>). The key that encrypts the signing
/// secrets at rest lives here, in the configuration of the API and of every silo (silos sign outgoing deliveries; an environment variable or a secret
/// store), never in the database the ciphertext is in.
/// </summary>
public sealed class IntegrationOptions : IValidatableObject
{
    public const string Section = "EventSeries:Integrations";

    /// <summary>
    /// Base64 of 32 random bytes: the AES-256-GCM key of the signing secrets
    /// (<c>EventSeries__Integrations__SecretKey</c>). No default: without it secrets cannot be
    /// created (409 <c>integrations_not_configured</c>) and no delivery is accepted. <c>./run.sh</c>
    /// makes one for development in <c>.data/integrations-key</c>. Every API process needs the same key.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>
    /// Keys that encrypted secrets before <see cref="SecretKey"/> (base64 of 32 bytes each;
    /// <c>EventSeries__Integrations__PreviousSecretKeys__0</c>, …): secrets still decrypt with them,
    /// and <c>reencrypt-secrets</c> re-encrypts every stored secret under the current key, after
    /// which they can go. Changing the key: docs/webhooks.md#changing-the-secret-key.
    /// </summary>
    public string[] PreviousSecretKeys { get; set; } = [];

    /// <summary>The largest delivery body accepted (413 beyond). Default 64 KiB: an event is a few hundred bytes.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Deliveries accepted per organization and minute on one API process, bad signatures included
    /// (429 beyond), so a flood of forged deliveries costs a bounded number of secret reads. Default 600.
    /// </summary>
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>
    /// How long an answered delivery id is remembered, so a sender's retry of it answers as the
    /// first did. Senders retry for days (Standard Webhooks senders typically up to 3 days, each
    /// retry signed with a fresh timestamp), so the default is 7 days; at least 1 hour.
    /// </summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each API process forgets expired delivery ids. Default 1 hour.</summary>
    public TimeSpan DeliveryCleanupPeriod { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SecretKey is not null && (!TryKey(SecretKey, out var key) || key.Length != 32))
        {
            yield return new ValidationResult($"{Section}:SecretKey must be base64 of 32 bytes (openssl rand -base64 32).", [nameof(SecretKey)]);
        }

        for (var i = 0; i < PreviousSecretKeys.Length; i++)
        {
            // An empty entry (a variable set to nothing) is no key, not a malformed one.
            if (!string.IsNullOrWhiteSpace(PreviousSecretKeys[i]) && (!TryKey(PreviousSecretKeys[i], out var previous) || previous.Length != 32))
            {
                yield return new ValidationResult($"{Section}:PreviousSecretKeys:{i} must be base64 of 32 bytes.", [nameof(PreviousSecretKeys)]);
            }
        }

        if (MaxBodyBytes is < 1024 or > 1024 * 1024)
        {
            yield return new ValidationResult($"{Section}:MaxBodyBytes must be between 1024 and 1048576.", [nameof(MaxBodyBytes)]);
        }

        if (DeliveryRetention < TimeSpan.FromHours(1))
        {
            yield return new ValidationResult($"{Section}:DeliveryRetention must be at least 01:00:00.", [nameof(DeliveryRetention)]);
        }

        if (DeliveryCleanupPeriod < TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult($"{Section}:DeliveryCleanupPeriod must be at least 00:00:01.", [nameof(DeliveryCleanupPeriod)]);
        }

        if (PermitsPerMinute < 1)
        {
            yield return new ValidationResult($"{Section}:PermitsPerMinute must be at least 1.", [nameof(PermitsPerMinute)]);
        }
    }

    /// <summary>Prints no key: options may end up in logs or dumps.</summary>
    public override string ToString() => $"IntegrationOptions {{ SecretKey = {(SecretKey is null ? "unset" : "[redacted]")}, PreviousSecretKeys = [{PreviousSecretKeys.Length} redacted], MaxBodyBytes = {MaxBodyBytes}, PermitsPerMinute = {PermitsPerMinute}, DeliveryRetention = {DeliveryRetention} }}";

    internal static bool TryKey(string text, out byte[] key)
    {
        key = new byte[64];
        var ok = Convert.TryFromBase64String(text.Trim(), key, out var written);
        key = ok ? key[..written] : [];
        return ok;
    }
}
