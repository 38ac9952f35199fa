namespace EventSeries.Grains.Webhooks;

/// <summary>When a failed delivery is tried again: exponential backoff with full jitter, until the give-up period ends.</summary>
public static class WebhookBackoff
{
    /// <summary>
    /// The next attempt's time after <paramref name="failures"/> failed attempts (this one included),
    /// or null when the delivery is given up: its first attempt was <see cref="WebhookOptions.GiveUpAfter"/> ago or more.
    /// </summary>
    public static DateTimeOffset? RetryAt(int failures, DateTimeOffset firstAttemptAt, DateTimeOffset now, WebhookOptions options, Random random)
    {
        if (now - firstAttemptAt >= options.GiveUpAfter)
        {
            return null;
        }

        // 2^(failures-1) overflows quickly; past 30 doublings the cap has long been reached.
        var ceiling = Math.Min(options.RetryMaxDelay.Ticks, options.RetryBaseDelay.Ticks * (1L << Math.Clamp(failures - 1, 0, 30)));
        var delay = TimeSpan.FromTicks((long)(random.NextDouble() * Math.Max(0, ceiling)));
        var retryAt = now + delay;

        // The last try lands at the end of the period rather than past it.
        var giveUpAt = firstAttemptAt + options.GiveUpAfter;
        return retryAt < giveUpAt ? retryAt : giveUpAt;
    }
}
