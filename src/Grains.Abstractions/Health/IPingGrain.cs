namespace EventSeries.Health;

/// <summary>A stateless grain the readiness probe calls to prove the cluster answers.</summary>
[Alias("es.ping")]
public interface IPingGrain : IGrainWithIntegerKey
{
    /// <summary>Answers with the silo's name.</summary>
    [Alias("ping"), ReadOnly]
    Task<string> PingAsync();
}
