using EventSeries.Security;

namespace EventSeries.Devices;

/// <summary>
/// One scanner device, keyed by its id: registered by an admin for one event (optionally some of
/// its gates), with a token that may only scan there; the single writer of its row.
/// </summary>
[Alias("es.scanner-device")]
public interface IScannerDeviceGrain : IGrainWithGuidKey
{
    /// <summary>Registers the device; returns its token, the only time the secret is visible.</summary>
    [Alias("register")]
    Task<IssuedDevice> RegisterAsync(Caller caller, NewScannerDevice device);

    /// <summary>The device (never its secret).</summary>
    [Alias("get"), ReadOnly]
    Task<ScannerDeviceView> GetAsync(Caller caller);

    /// <summary>Revokes the device: its token is refused from then on (within a second on every API instance).</summary>
    [Alias("revoke")]
    Task<ScannerDeviceView> RevokeAsync(Caller caller);
}
