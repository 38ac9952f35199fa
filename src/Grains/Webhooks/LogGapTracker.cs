namespace EventSeries.Grains.Webhooks;

/// <summary>
/// How far the check-in pump may read. Log numbers come from a sequence and are handed out before
/// their rows commit, so a missing number may be a row still being written (taking the rows after
/// it would skip it for good) or one that was rolled back (and never comes). The pump stops before
/// a gap and goes past it only once it has been missing for <c>GapGrace</c>.
/// </summary>
public sealed class LogGapTracker(TimeProvider clock, TimeSpan grace)
{
    private long? _gap;
    private DateTimeOffset _gapSince;

    /// <summary>The last number that can be taken after <paramref name="position"/>, given the visible <paramref name="numbers"/> (ascending).</summary>
    public long SafeUpTo(long position, IReadOnlyList<long> numbers)
    {
        var upTo = position;
        foreach (var number in numbers)
        {
            if (number == upTo + 1)
            {
                upTo = number;
                continue;
            }

            var now = clock.GetUtcNow();
            if (_gap == upTo + 1 && now - _gapSince >= grace)
            {
                upTo = number;
                _gap = null;
                continue;
            }

            if (_gap != upTo + 1)
            {
                _gap = upTo + 1;
                _gapSince = now;
            }

            break;
        }

        return upTo;
    }
}
