namespace EventSeries.Tests.Grains.Probes;

/// <summary>A test grain whose counter lives in the ADO.NET grain storage on PostgreSQL.</summary>
[Alias("es.test.probe-state")]
public interface IProbeStateGrain : IGrainWithIntegerKey
{
    [Alias("increment")]
    Task<int> IncrementAsync();

    [Alias("read")]
    Task<int> ReadAsync();

    [Alias("clear")]
    Task ClearAsync();
}

[GenerateSerializer, Alias("es.test.probe-state.state")]
public sealed class ProbeState
{
    [Id(0)]
    public int Count { get; set; }
}
