using EventSeries.Series;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace EventSeries.Grains.Series;

/// <summary>The live feed's part: committed transitions go on the transition stream (<see cref="TransitionStream"/>).</summary>
public sealed partial class SeriesGrain
{
    /// <summary>
    /// Tells the live feed after the commit. A lost publication costs only live freshness: the row
    /// is in <c>series_state_transitions</c>, where a reconnecting feed client reads it.
    /// </summary>
    private async Task PublishTransitionAsync(SeriesTransition logged)
    {
        try
        {
            await this.GetStreamProvider(TransitionStream.Provider)
                .GetStream<SeriesTransition>(StreamId.Create(TransitionStream.Namespace, Id))
                .OnNextAsync(logged);
        }
        catch (Exception e)
        {
            LogTransitionNotPublished(logger, e, Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The transition of series {SeriesId} is logged but could not be published to its live feed.")]
    private static partial void LogTransitionNotPublished(ILogger logger, Exception exception, Guid seriesId);
}
