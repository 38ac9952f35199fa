using System.ComponentModel.DataAnnotations;

namespace EventSeries.Grains.Webhooks;

/// <summary>Outgoing webhooks (section <c>EventSeries:Webhooks</c>), read by silos: they validate URLs and send.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "EventSeries:Webhooks";

    /// <summary>
    /// Whether subscriptions may target loopback, link-local, private (RFC 1918, ULA), CGNAT and other
    /// non-public addresses. Default false (SSRF): only for development, tests, or a deployment whose
    /// receivers are on its own private network. Applies to the whole cluster.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long one attempt may take, connection included; past it the attempt failed. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each silo pumps the check-in log and wakes senders with due work (real clock). Default 1 s.</summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A sender's timer period while it has due deliveries (real clock). Default 250 ms.</summary>
    public TimeSpan SendPeriod { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Retry delays are drawn from 0 to min(<see cref="RetryMaxDelay"/>, this × 2^(failures − 1)) (full jitter). Default 5 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The largest retry delay. Default 1 h.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A delivery still failing this long after its first attempt is given up (status failed). Default 3 days.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The subscription pauses after this many failed attempts in a row (any of its deliveries)... Default 10.</summary>
    public int PauseAfterFailures { get; set; } = 10;

    /// <summary>...that span at least this long (from the first of them). Default 1 h, so a short outage never pauses.</summary>
    public TimeSpan PauseAfterPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Delivered and failed deliveries (with their attempts) are deleted this long after they finished. Default 7 days.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Log rows the pump reads per step. Default 5,000.</summary>
    public int PumpBatch { get; set; } = 5_000;

    /// <summary>
    /// The longest the pump waits for a log number it has not seen. It normally goes past one as soon
    /// as every transaction that was running when it saw the gap has ended; this bounds the wait when
    /// one stays open. Default 5 min (real clock).
    /// </summary>
    public TimeSpan GapGrace { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AttemptTimeout <= TimeSpan.Zero || PollPeriod <= TimeSpan.Zero || SendPeriod <= TimeSpan.Zero || RetryBaseDelay <= TimeSpan.Zero
            || RetryMaxDelay < RetryBaseDelay || GiveUpAfter <= TimeSpan.Zero || PauseAfterPeriod < TimeSpan.Zero || Retention <= TimeSpan.Zero || GapGrace < TimeSpan.Zero)
        {
            yield return new ValidationResult($"{Section}: periods must be positive, and RetryMaxDelay at least RetryBaseDelay.");
        }

        if (PauseAfterFailures < 1 || PumpBatch < 1)
        {
            yield return new ValidationResult($"{Section}:PauseAfterFailures and PumpBatch must be at least 1.");
        }
    }
}
