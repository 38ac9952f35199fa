using EventSeries.Security;

namespace EventSeries.Wristbands;

/// <summary>One wristband, keyed by its id: holds its status in memory and is its single writer.</summary>
[Alias("es.wristband")]
public interface IWristbandGrain : IGrainWithGuidKey
{
    /// <summary>The wristband.</summary>
    [Alias("get"), ReadOnly]
    Task<WristbandView> GetAsync(Caller caller);

    /// <summary>Changes the status (e.g. reports it lost or stolen, or re-activates it).</summary>
    [Alias("set-status")]
    Task<WristbandView> SetStatusAsync(Caller caller, WristbandStatus status);
}
