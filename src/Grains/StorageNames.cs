namespace EventSeries.Grains;

/// <summary>
/// Names of the Orleans grain-storage providers. Rows in PostgreSQL are keyed by these names, so
/// they never change once data exists.
/// </summary>
public static class StorageNames
{
    /// <summary>Grain state of the domain's grains (ADO.NET provider on PostgreSQL).</summary>
    public const string Main = "main";

    /// <summary>Stream subscriptions (the name Orleans looks for).</summary>
    public const string PubSub = "PubSubStore";
}
