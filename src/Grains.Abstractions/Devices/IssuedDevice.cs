namespace EventSeries.Devices;

/// <summary>A freshly registered device with its token: the only time the secret is ever visible.</summary>
[GenerateSerializer, Immutable, Alias("es.scanner-device.issued")]
public sealed record class IssuedDevice(
    [property: Id(0)] ScannerDeviceView Device,
    [property: Id(1)] string Token);
