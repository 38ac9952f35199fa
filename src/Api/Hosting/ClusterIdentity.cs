using Orleans.Configuration;

namespace EventSeries.Api.Hosting;

/// <summary>
/// The cluster's names, shared by silos and clients: membership rows are keyed by ClusterId,
/// grain state and reminders by ServiceId, so both must match across every process.
/// </summary>
public static class ClusterIdentity
{
    public const string DefaultName = "eventseries";

    public static void Apply(ClusterOptions options, IConfiguration configuration)
    {
        options.ClusterId = configuration["Orleans:ClusterId"] ?? DefaultName;
        options.ServiceId = configuration["Orleans:ServiceId"] ?? DefaultName;
    }
}
