using EventSeries.Persistence.Webhooks;

namespace EventSeries.Grains.Webhooks;

/// <summary>
/// How far the check-in pump may read. Log numbers come from a sequence and are handed out before
/// their rows commit, so a missing number may be a row still being written (taking the rows after
/// it would skip it for good), or a number that never becomes a row (a rolled-back write, a retried
/// scan the log writer's fallback path numbered twice). The pump stops before a gap and goes past
/// it once every transaction that was running when it first saw the gap has ended (the database's
/// transaction horizon moved past them: a row still missing then is never coming), or, as a last
/// resort against a transaction left open, after <c>GapGrace</c>.
/// </summary>
public sealed class LogGapTracker(TimeProvider clock, TimeSpan grace)
{
    private long? _gap;
    private DateTimeOffset _gapSince;
    private ulong _runningBelow;

    /// <summary>The last number that can be taken after <paramref name="position"/>, given the visible <paramref name="numbers"/> (ascending).</summary>
    public long SafeUpTo(long position, IReadOnlyList<long> numbers, PumpSnapshot snapshot)
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

            // Strictly past: a transaction that took its number just before the first sighting may
            // have got its id only just after it, as the first id not handed out then.
            if (_gap == upTo + 1 && (snapshot.Xmin > _runningBelow || now - _gapSince >= grace))
            {
                upTo = number;
                _gap = null;
                continue;
            }

            if (_gap != upTo + 1)
            {
                _gap = upTo + 1;
                _gapSince = now;
                _runningBelow = snapshot.Xmax;
            }

            break;
        }

        return upTo;
    }
}
