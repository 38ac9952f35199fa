using EventSeries.Api.Errors;
using Orleans.Runtime;

namespace EventSeries.Tests.Api;

/// <summary>
/// Which faults are the cluster's or the database's (503, retried with a scanId) and which are
/// mistakes or refusals (their own answer, never retried).
/// </summary>
public sealed class TransientFaultsTests
{
    public static TheoryData<string> ClusterFaults => [.. ScanFaults.ClusterFaults, "unavailable"];

    [Theory]
    [MemberData(nameof(ClusterFaults))]
    public void EveryClusterFault_IsTransient(string fault) => Assert.True(TransientFaults.IsTransient(ScanFaults.Make(fault)));

    [Fact]
    public void MistakesAndRefusals_AreNotTransient()
    {
        Assert.False(TransientFaults.IsTransient(new InvalidOperationException("a bug")));
        Assert.False(TransientFaults.IsTransient(new OrleansException("wrapping a bug", new InvalidOperationException("a bug"))));
        Assert.False(TransientFaults.IsTransient(DomainException.Conflict("stale_series", "Changed meanwhile.")));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.False(TransientFaults.IsTransient(new OperationCanceledException(cancelled.Token)));
    }

    /// <summary>Seen in the fault harness (bench/chaos), answered 500 before.</summary>
    [Fact]
    public void TheRuntimesOwnRefusals_AreTransient()
    {
        Assert.True(TransientFaults.IsTransient(new OrleansException("Trying to register a grain on invalid silo S127.0.0.1:11203:1. Known status: Dead")));
        Assert.True(TransientFaults.IsTransient(new OperationCanceledException("Message expired before placement could complete.")));
    }
}
