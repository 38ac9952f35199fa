namespace EventSeries.Api.Contracts;

/// <summary>The cluster as the operators see it: every silo membership knows, newest report first.</summary>
public sealed record ClusterHealthView(DateTimeOffset At, int ActiveSilos, ImmutableArray<SiloHealthView> Silos);

/// <summary>
/// One silo: its membership entry (status as the cluster voted it), its load as Orleans' management
/// grain reports it (active silos only; null when it did not answer in time), and its check-in log
/// writer's last minute as the silo itself reported it (null before its first report).
/// </summary>
public sealed record SiloHealthView(
    string Address,
    string Name,
    string HostName,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? LastAliveAt,
    int? Activations,
    float? CpuUsagePercent,
    long? MemoryUsageBytes,
    bool? Overloaded,
    long? Clients,
    SiloLogWriterView? LogWriter);

/// <summary>A silo's log writer over the minute before <see cref="ReportedAt"/>: batches, rows, failures and commit times (ms).</summary>
public sealed record SiloLogWriterView(
    DateTimeOffset ReportedAt, int Batches, long Rows, int FailedBatches, double? CommitP50Ms, double? CommitP99Ms, double? CommitMaxMs);
