using EventSeries.Persistence.Stores;
using EventSeries.Series;

namespace EventSeries.Grains.Series;

/// <summary>
/// The automatic lifecycle: the series decides by the domain clock, so whoever asks (the lifecycle
/// sweeper of any silo, any number of times) gets the same result, and a series whose window
/// passed while the cluster was down catches up in one call.
/// </summary>
public sealed partial class SeriesGrain
{
    /// <summary>The name automatic transitions are logged under (no user).</summary>
    public const string SystemActor = "system";

    public async Task<SeriesLifecycle?> AdvanceLifecycleAsync()
    {
        if (_state is not { } state)
        {
            return null;
        }

        var spec = state.Series.Spec;
        var opens = spec.Window.OpensAt(spec.StartsAt);
        var completes = spec.Window.CompletesAt(spec.StartsAt, spec.EndsAt);
        if (state.Series.Lifecycle == SeriesLifecycle.Scheduled && time.Now() >= opens)
        {
            await TransitionAsync(state, SeriesLifecycle.Active, new TransitionActor(null, SystemActor, $"The check-in window opened at {opens:u}."));
        }

        // Completed at the end, not when check-in closes: exits still need an active series.
        if (state.Series.Lifecycle == SeriesLifecycle.Active && time.Now() >= completes)
        {
            await TransitionAsync(state, SeriesLifecycle.Completed, new TransitionActor(null, SystemActor, $"The series ended at {completes:u}."));
        }

        return state.Series.Lifecycle;
    }
}
