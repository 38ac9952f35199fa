namespace EventSeries.Integrations;

/// <summary>Fixed rules of webhook signing secrets.</summary>
public static class IntegrationSecrets
{
    /// <summary>
    /// How long a secret replaced by a rotation is still accepted: a day, so a sender can deploy its
    /// new secret without dropping deliveries. Revoke to cut one off at once.
    /// </summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);

    /// <summary>How far a delivery's timestamp may be from now, either way (replays of old deliveries are refused).</summary>
    public static readonly TimeSpan TimestampTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The name a kind has in paths, rows and audit actors (<c>payments</c>, <c>crm</c>, <c>tickets</c>).</summary>
    public static string Name(this IntegrationKind kind) => kind.ToString().ToLowerInvariant();
}
