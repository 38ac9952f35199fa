using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Health;
using Orleans.Runtime;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// The cluster's health for the operators: the owners and admins of the organization that runs the
/// system (<c>EventSeries:Dashboard:OrganizationId</c>, as for the Orleans dashboard). It shows
/// every silo of the installation, so no other organization's admin may see it.
/// </summary>
public static class ClusterEndpoints
{
    /// <summary>How long the load of the silos is waited for: a frozen silo must not hang the page.</summary>
    private static readonly TimeSpan StatisticsTimeout = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/cluster/health", GetHealthAsync).WithTags("Cluster").WithName("GetClusterHealth")
            .WithSummary("Every silo: membership status, activations, CPU, memory, and its check-in log writer's last minute (commit p50/p99). " +
                         "For owners and admins of the operators' organization (EventSeries:Dashboard:OrganizationId); 404 when none is configured.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<ClusterHealthView>> GetHealthAsync(
        HttpContext http, IConfiguration configuration, IGrainFactory grains, SiloHealthStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var operators = DashboardAccess.ConfiguredOrganization(configuration)
            ?? throw DomainException.NotFound("Cluster health (no operators' organization is configured: EventSeries:Dashboard:OrganizationId)");
        var caller = http.Caller();
        if (caller.Scanner is not null || caller.Integration is not null || caller.RoleIn(operators) is not (Role.Owner or Role.Admin))
        {
            throw DomainException.Forbidden("Cluster health is for the owners and admins of the organization that runs the system.");
        }

        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var active = hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloAddress).ToArray();
        var statistics = await LoadAsync(management, active);
        var logs = await store.ReadAsync(cancellationToken);

        var silos = hosts
            .OrderBy(h => h.Status == SiloStatus.Active ? 0 : 1).ThenByDescending(h => h.StartTime)
            .Select(h =>
            {
                statistics.TryGetValue(h.SiloAddress, out var load);
                logs.TryGetValue(h.SiloAddress.ToParsableString(), out var log);
                return new SiloHealthView(
                    h.SiloAddress.ToParsableString(), h.SiloName ?? "", h.HostName ?? "", h.Status.ToString().ToLowerInvariant(),
                    Utc(h.StartTime), h.IAmAliveTime == default ? null : Utc(h.IAmAliveTime),
                    load?.ActivationCount, load?.EnvironmentStatistics.FilteredCpuUsagePercentage, load?.EnvironmentStatistics.FilteredMemoryUsageBytes, load?.IsOverloaded, load?.ClientCount,
                    log is null ? null : new SiloLogWriterView(log.ReportedAt, log.Batches, log.Rows, log.FailedBatches, log.CommitP50Ms, log.CommitP99Ms, log.CommitMaxMs));
            })
            .ToImmutableArray();
        return TypedResults.Ok(new ClusterHealthView(clock.GetUtcNow(), active.Length, silos));
    }

    /// <summary>The active silos' load, or none when one of them does not answer within <see cref="StatisticsTimeout"/>.</summary>
    private static async Task<Dictionary<SiloAddress, SiloRuntimeStatistics>> LoadAsync(IManagementGrain management, SiloAddress[] active)
    {
        try
        {
            var statistics = await management.GetRuntimeStatistics(active).WaitAsync(StatisticsTimeout);
            return active.Zip(statistics).ToDictionary(p => p.First, p => p.Second);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return [];
        }
    }

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
