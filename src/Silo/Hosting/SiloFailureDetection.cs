using EventSeries.Api.Hosting;
using Orleans.Configuration;

namespace EventSeries.Silo.Hosting;

/// <summary>
/// How fast the cluster gives up on a silo, tuned for gates (sections <c>Orleans:Membership</c>
/// and <c>Orleans:Messaging</c>). With Orleans' defaults a killed silo was declared dead after
/// about 5 s and a frozen one (SIGSTOP: its TCP connections stay open, so votes against it are
/// suppressed for MaxProbeTimeout × NumMissedProbesLimit = 60 s) after about 60 s, and calls to it
/// waited the 30 s response timeout. Here:
/// <list type="bullet">
/// <item><c>ProbeTimeout</c> 1 s and <c>MaxProbeTimeout</c> 1 s: each silo probes its peers about
/// twice a second, three missed probes make a suspicion, and votes are suppressed for at most
/// 3 s, so a killed silo is declared dead in about 1.5 s and a frozen one in about 3 s (measured:
/// 1.3 s and 2.9 s, three idle silos, ../shared/notes/next-features.md §1);</item>
/// <item><c>NumVotesForDeathDeclaration</c> and everything else stay Orleans' defaults;</item>
/// <item>the response timeout 5 s (<see cref="ClusterTimeouts"/>), the silos' system calls alike.</item>
/// </list>
/// The price: a silo stalled for a few seconds by GC or CPU starvation can be voted dead (it then
/// stops itself and must be restarted); run at least three silos, so one slow voter cannot decide.
/// Every value can be set in configuration, e.g. <c>Orleans:Membership:ProbeTimeout</c>.
/// </summary>
public static class SiloFailureDetection
{
    /// <summary>Where <see cref="ClusterMembershipOptions"/> are read from.</summary>
    public const string MembershipSection = "Orleans:Membership";

    /// <summary>The default probe timeout (<c>Orleans:Membership:ProbeTimeout</c>).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The default ceiling of the learned probe timeout (<c>Orleans:Membership:MaxProbeTimeout</c>).</summary>
    public static readonly TimeSpan MaxProbeTimeout = TimeSpan.FromSeconds(1);

    public static ISiloBuilder AddEventSeriesFailureDetection(this ISiloBuilder silo)
    {
        // Defaults first, configuration after: a configured value always wins.
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(o =>
            {
                o.ProbeTimeout = ProbeTimeout;
                o.MaxProbeTimeout = MaxProbeTimeout;
            })
            .BindConfiguration(MembershipSection)
            .Validate(o => o.ProbeTimeout > TimeSpan.Zero, MembershipSection + ":ProbeTimeout must be longer than zero.")
            .Validate(
                o => o.MaxProbeTimeout >= o.ProbeTimeout,
                MembershipSection + ":MaxProbeTimeout must be at least " + MembershipSection + ":ProbeTimeout (it defaults to 1 s: raise both together).")
            .Validate(o => o.NumVotesForDeathDeclaration >= 1, MembershipSection + ":NumVotesForDeathDeclaration must be at least 1.")
            .ValidateOnStart();
        silo.Services.AddOptions<SiloMessagingOptions>()
            .Configure(o =>
            {
                o.ResponseTimeout = ClusterTimeouts.ResponseTimeout;
                o.SystemResponseTimeout = ClusterTimeouts.ResponseTimeout;
            })
            .BindConfiguration(ClusterTimeouts.MessagingSection)
            .Validate(o => o.ResponseTimeout > TimeSpan.Zero, ClusterTimeouts.MessagingSection + ":ResponseTimeout must be longer than zero.")
            .Validate(o => o.SystemResponseTimeout > TimeSpan.Zero, ClusterTimeouts.MessagingSection + ":SystemResponseTimeout must be longer than zero.")
            .ValidateOnStart();
        return silo;
    }
}
