using Orleans.Configuration;

namespace EventSeries.Api.Hosting;

/// <summary>
/// Orleans' response timeout for a gate system (section <c>Orleans:Messaging</c>, shared by silos
/// and the API alone). Orleans waits 30 s by default for a grain call's answer; a frozen silo then
/// holds every call sent to it for 30 s. Five seconds is still longer than a scan's deadline
/// (<c>EventSeries:Scans:Deadline</c>, 2.5 s), so the API's deadline decides first and answers 503,
/// while calls nobody waits for any more are dropped six times sooner. The silo's failure detection
/// (probes, votes) is set in <c>src/Silo/Hosting/SiloFailureDetection.cs</c>; docs/operations.md
/// explains both.
/// </summary>
public static class ClusterTimeouts
{
    /// <summary>Where the messaging timeouts are read from: <c>Orleans:Messaging:ResponseTimeout</c> (silo and client), <c>Orleans:Messaging:SystemResponseTimeout</c> (silo).</summary>
    public const string MessagingSection = "Orleans:Messaging";

    /// <summary>The default response timeout of grain calls (and of the silos' own system calls): 5 seconds.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The API alone: its cluster client's response timeout, <see cref="ResponseTimeout"/> unless configured.</summary>
    public static IServiceCollection AddEventSeriesClientTimeouts(this IServiceCollection services)
    {
        services.AddOptions<ClientMessagingOptions>()
            .Configure(o => o.ResponseTimeout = ResponseTimeout)
            .BindConfiguration(MessagingSection)
            .Validate(o => o.ResponseTimeout > TimeSpan.Zero, MessagingSection + ":ResponseTimeout must be longer than zero.")
            .ValidateOnStart();
        return services;
    }
}
