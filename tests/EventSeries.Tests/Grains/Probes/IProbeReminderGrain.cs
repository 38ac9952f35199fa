namespace EventSeries.Tests.Grains.Probes;

/// <summary>A test grain that registers a durable reminder through the ADO.NET reminder service.</summary>
[Alias("es.test.probe-reminder")]
public interface IProbeReminderGrain : IGrainWithGuidKey
{
    [Alias("register")]
    Task RegisterAsync(string name, TimeSpan period);

    [Alias("exists")]
    Task<bool> ExistsAsync(string name);

    [Alias("unregister")]
    Task UnregisterAsync(string name);
}
