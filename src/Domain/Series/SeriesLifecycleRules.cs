using EventSeries.Series;

namespace EventSeries.Domain.Series;

/// <summary>The seed's lifecycle state machine, exactly: only the listed transitions exist.</summary>
public static class SeriesLifecycleRules
{
    private static readonly ImmutableDictionary<SeriesLifecycle, ImmutableArray<SeriesLifecycle>> Allowed =
        new Dictionary<SeriesLifecycle, ImmutableArray<SeriesLifecycle>>
        {
            [SeriesLifecycle.Draft] = [SeriesLifecycle.Scheduled, SeriesLifecycle.Cancelled],
            [SeriesLifecycle.Scheduled] = [SeriesLifecycle.Active, SeriesLifecycle.Cancelled],
            [SeriesLifecycle.Active] = [SeriesLifecycle.Completed, SeriesLifecycle.Cancelled],
            [SeriesLifecycle.Completed] = [],
            [SeriesLifecycle.Cancelled] = [],
        }.ToImmutableDictionary();

    /// <summary>The states reachable from <paramref name="from"/> in one step.</summary>
    public static ImmutableArray<SeriesLifecycle> NextStates(SeriesLifecycle from) => Allowed[from];

    /// <summary>Whether the state machine has the edge <paramref name="from"/> -&gt; <paramref name="to"/>.</summary>
    public static bool CanTransition(SeriesLifecycle from, SeriesLifecycle to) => Allowed[from].Contains(to);

    /// <summary>Whether no transition leaves <paramref name="state"/>.</summary>
    public static bool IsTerminal(SeriesLifecycle state) => Allowed[state].IsEmpty;

    /// <summary>Throws a 409-kind refusal naming the allowed moves when the edge does not exist.</summary>
    public static void EnsureCanTransition(SeriesLifecycle from, SeriesLifecycle to)
    {
        if (CanTransition(from, to))
        {
            return;
        }

        var next = NextStates(from);
        var allowed = next.IsEmpty ? "none, it is terminal" : string.Join(", ", next.Select(s => s.ToString().ToLowerInvariant()));
        throw DomainException.Conflict(
            "illegal_transition",
            $"A {Name(from)} series cannot become {Name(to)}; allowed next states: {allowed}.");
    }

    /// <summary>Deleting is allowed only before publishing or after cancelling.</summary>
    public static void EnsureDeletable(SeriesLifecycle state)
    {
        if (state is not (SeriesLifecycle.Draft or SeriesLifecycle.Cancelled))
        {
            throw DomainException.Conflict(
                "series_not_deletable", $"Only draft or cancelled series can be deleted; this one is {Name(state)}.");
        }
    }

    /// <summary>A series that has ended (completed or cancelled) is history and never changes again.</summary>
    public static void EnsureEditable(SeriesLifecycle state)
    {
        if (IsTerminal(state))
        {
            throw DomainException.Conflict("series_ended", $"The series is {Name(state)} and can no longer be changed.");
        }
    }

    private static string Name(SeriesLifecycle state) => state.ToString().ToLowerInvariant();
}
