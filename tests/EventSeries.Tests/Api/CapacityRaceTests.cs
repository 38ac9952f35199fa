using EventSeries.CheckIns;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace EventSeries.Tests.Api;

/// <summary>
/// Races the fault harness found in the capacity protocol after issue 15's first fixes (a series
/// admitted 502 of 500 after a kill; 13 of 12 under the full suite's load), each reproduced here by
/// driving the grains into the same order of events on purpose.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class CapacityRaceTests(PostgresServer postgres)
{
    /// <summary>
    /// A shard returned a freed place and the answer was lost, so it lowered itself; then a lease the
    /// coordinator had issued before the return arrived late and raised it back over a place the
    /// coordinator had meanwhile put in its pool. The coordinator now takes a place back only from a
    /// shard that holds the last lease issued to it.
    /// </summary>
    [Fact]
    public async Task ALeaseArrivingLate_AfterAReturnWhoseAnswerWasLost_GivesNoPlaceTwice()
    {
        const int capacity = 12;
        var loseReturn = new LoseNextAnswer(nameof(ISeriesCapacityGrain), nameof(ISeriesCapacityGrain.ReturnAsync));
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), services: s => s.AddSingleton<IIncomingGrainCallFilter>(loseReturn));
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 40, vip: 0, capacity: capacity);
        var grains = host.App.Services.GetRequiredService<IGrainFactory>();

        // Fill the series, then one entry more: its shard borrows, and every other shard, asked for
        // places it has not got, learns that the series is full (it will return the next place it frees).
        var inside = new List<Guid>();
        var w = 0;
        for (; inside.Count < capacity; w++)
        {
            if ((await g.ScanAsync(g.Wristbands[w].NfcId)).Allowed)
            {
                inside.Add(g.Wristbands[w].Id);
            }
        }

        var refused = g.Wristbands[w];
        Assert.Equal(ScanReasons.CapacityReached, (await g.ScanAsync(refused.NfcId)).Reason);
        var leaving = g.Wristbands.First(b => inside.Contains(b.Id) && CapacityShards.Of(b.Id) != CapacityShards.Of(refused.Id));
        var shard = CapacityShards.Of(leaving.Id);

        // A lease for the leaving wristband's shard, issued now and delivered only later.
        var late = await grains.GetGrain<ISeriesCapacityGrain>(g.Series.Id).GetLeaseAsync(shard);

        loseReturn.Armed = true;
        Assert.True((await g.ScanAsync(leaving.NfcId, direction: "out")).Allowed);
        Assert.True(loseReturn.Lost, "the freed place was returned and its answer lost");
        await grains.GetGrain<ICapacityShardGrain>(CapacityShards.Key(g.Series.Id, shard)).AdoptAsync(late);

        // The freed place goes to the wristband refused before; then the one who left comes back,
        // through a shard that must not hold that place too.
        Assert.True((await g.ScanAsync(refused.NfcId)).Allowed);
        await g.ScanAsync(leaving.NfcId);
        foreach (var b in g.Wristbands)
        {
            await g.ScanAsync(b.NfcId);
        }

        Assert.Equal(capacity, await OccupancyAsync(host, g));
        await AssertLedgerAddsUpAsync(client, g, capacity);
    }

    /// <summary>
    /// A shard whose activation ended with a reservation still unlogged (its silo died while a live
    /// silo was writing the row) counted the log again before that row was written, and lent the
    /// place a second time. A shard now records whether it ended settled, and after an unsettled end
    /// holds its first lease's unused places as possibly taken until reservations have timed out.
    /// </summary>
    [Fact]
    public async Task AShardActivatedAgainBeforeItsReservedRowWasWritten_DoesNotLendThatPlaceTwice()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Capacity:CheckPeriod"] = "00:00:00.100", ["Capacity:ReservationTimeout"] = "00:00:01",
        });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 6, vip: 0, capacity: 1);
        var grains = host.App.Services.GetRequiredService<IGrainFactory>();
        var writer = g.Wristbands[0];
        var shardKey = CapacityShards.Key(g.Series.Id, CapacityShards.Of(writer.Id));
        var rowId = Guid.CreateVersion7();
        Assert.Equal(PlaceAnswer.Taken, await grains.GetGrain<ICapacityShardGrain>(shardKey).ReserveAsync(rowId, mayBorrow: true)); // the one place, reserved for a row still being written

        // The shard's activation ends (its silo goes) and a new one counts the log; then the row lands.
        await grains.GetGrain<ICapacityShardGrain>(shardKey).Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        await Eventually.ValueAsync(() => grains.GetGrain<ICapacityShardGrain>(shardKey).GetCountsAsync(), c => c.Reserved == 0);
        await LateLogRows.InsertAsync(host.ConnectionString, g, writer, rowId);

        foreach (var other in g.Wristbands.Skip(1))
        {
            Assert.Equal(ScanReasons.CapacityReached, (await g.ScanAsync(other.NfcId)).Reason);
        }

        // Once reservations have timed out the shard counts the log again: the place is the writer's
        // until it leaves, and then someone else gets in.
        Assert.True((await g.ScanAsync(writer.NfcId, direction: "out")).Allowed);
        var next = await Eventually.ValueAsync(() => g.ScanAsync(g.Wristbands[1].NfcId), v => v.Allowed, TimeSpan.FromSeconds(20));
        Assert.True(next.Allowed);
        Assert.Equal(1, await OccupancyAsync(host, g));
    }

    /// <summary>A shard that ended with nothing in flight starts again with all its places (no needless hold).</summary>
    [Fact]
    public async Task AShardThatEndedSettled_LendsItsPlacesAtOnceWhenActivatedAgain()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 2, vip: 0, capacity: 1);
        var grains = host.App.Services.GetRequiredService<IGrainFactory>();
        var first = g.Wristbands[0];
        Assert.True((await g.ScanAsync(first.NfcId)).Allowed);
        Assert.True((await g.ScanAsync(first.NfcId, direction: "out")).Allowed);

        // The entry's reservation stays open in memory until its timeout (30 s); the row is logged, so
        // the activation ends settled. A new activation starts with no reservation.
        var shardKey = CapacityShards.Key(g.Series.Id, CapacityShards.Of(first.Id));
        Assert.Equal(1, (await grains.GetGrain<ICapacityShardGrain>(shardKey).GetCountsAsync()).Reserved);
        await grains.GetGrain<ICapacityShardGrain>(shardKey).Cast<IGrainManagementExtension>().DeactivateOnIdle(TestContext.Current.CancellationToken);
        await Eventually.ValueAsync(() => grains.GetGrain<ICapacityShardGrain>(shardKey).GetCountsAsync(), c => c.Reserved == 0);

        Assert.True((await g.ScanAsync(g.Wristbands[1].NfcId)).Allowed);
        Assert.Equal(0, (await grains.GetGrain<ICapacityShardGrain>(shardKey).GetCountsAsync()).HeldBack);
    }

    /// <summary>
    /// An exit logged by a silo that died before telling the shard: the place came back only if the
    /// shard activated again (13 places were lost after a kill). Shards whose count moved now count
    /// the log again every <c>Capacity:RecountPeriod</c>.
    /// </summary>
    [Fact]
    public async Task AnExitLoggedWhoseReleaseNeverCame_FreesItsPlaceAtTheNextRecount()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Capacity:CheckPeriod"] = "00:00:00.100", ["Capacity:RecountPeriod"] = "00:00:00.200",
        });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 2, vip: 0, capacity: 1);
        var first = g.Wristbands[0];
        var entry = await g.ScanAsync(first.NfcId);
        Assert.True(entry.Allowed);

        // The exit row, as the dying silo wrote it; the shard is never told.
        await LateLogRows.InsertAsync(host.ConnectionString, g, first, Guid.CreateVersion7(), direction: "out");

        var next = await Eventually.ValueAsync(() => g.ScanAsync(g.Wristbands[1].NfcId), v => v.Allowed);
        Assert.True(next.Allowed);
        Assert.Equal(1, await OccupancyAsync(host, g));
    }

    /// <summary>
    /// At a full series every refused entry borrowed again, and each borrow waited for a shard that
    /// did not answer (a frozen or dead silo), so refusals queued behind each other until scans
    /// timed out as 503s. A borrow that found nothing because a shard did not answer now pauses
    /// reclaiming for <c>Capacity:EmptyBorrowBackoff</c>; refusals in the pause are quick.
    /// </summary>
    [Fact]
    public async Task RefusalsAtAFullSeries_DoNotEachWaitForAShardThatDoesNotAnswer()
    {
        var frozen = new FreezeSurrenders();
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(),
            services: s => s.AddSingleton<IIncomingGrainCallFilter>(frozen),
            settings: new Dictionary<string, string?> { ["Capacity:EmptyBorrowBackoff"] = "00:01:00" });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 30, vip: 0, capacity: 4);
        var admitted = 0;
        var w = 0;
        for (; admitted < 4; w++)
        {
            admitted += (await g.ScanAsync(g.Wristbands[w].NfcId)).Allowed ? 1 : 0;
        }

        // Every shard that could answer is asked in the first refusal's borrow; one never answers.
        frozen.Armed = true;
        var refusals = await Task.WhenAll(g.Wristbands.Skip(w).Take(10).Select(b => g.ScanAsync(b.NfcId)));
        frozen.Thaw();

        Assert.All(refusals, v => Assert.Equal(ScanReasons.CapacityReached, v.Reason));
        Assert.True(frozen.Frozen <= 1, $"{frozen.Frozen} borrows waited for the shard that does not answer");
    }

    /// <summary>
    /// With the coordinator on a frozen silo, every shard waiting to borrow held up all its other
    /// wristbands, exits included, so the whole cluster stalled for the freeze (the harness: 4-29
    /// answers a second instead of 150, though two silos of three were healthy). A shard now goes
    /// on serving while one borrow is under way.
    /// </summary>
    [Fact]
    public async Task AShardWaitingToBorrow_StillLetsItsOtherWristbandsLeave()
    {
        var borrows = new HangCalls(nameof(ISeriesCapacityGrain.BorrowAsync));
        var reserves = new CountReserves();
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), services: s =>
        {
            s.AddSingleton<IIncomingGrainCallFilter>(borrows);
            s.AddSingleton<IIncomingGrainCallFilter>(reserves);
        });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 24, vip: 0, capacity: 1);
        var sameShard = g.Wristbands.GroupBy(w => CapacityShards.Of(w.Id)).First(s => s.Count() >= 2).ToArray();
        var (leaving, waiting) = (sameShard[0], sameShard[1]);
        Assert.True((await g.ScanAsync(leaving.NfcId)).Allowed);

        borrows.Armed = true;
        var entry = client.PostAsync($"/api/events/{g.Event.Id}/scans", new { nfcId = waiting.NfcId, gateId = g.Main.Id, direction = "in", scanId = Guid.NewGuid() });
        await Eventually.ValueAsync(() => Task.FromResult(borrows.Held), held => held == 1);

        var exit = await g.ScanAsync(leaving.NfcId, direction: "out");
        var stillWaiting = reserves.InFlight;
        borrows.Thaw();
        await entry;

        Assert.True(exit.Allowed);
        Assert.Equal(1, stillWaiting);
    }

    /// <summary>
    /// With shards serving while they wait for the coordinator, an entry took the place a shard was
    /// returning, and the coordinator lent it again (the harness: 501 of 500). A place on its way
    /// back counts as used until the return answers.
    /// </summary>
    [Fact]
    public async Task APlaceBeingReturned_IsNotTakenByAnEntryMeanwhile()
    {
        var returns = new HangCalls(nameof(ISeriesCapacityGrain.ReturnAsync));
        var reserves = new CountReserves();
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), services: s =>
        {
            s.AddSingleton<IIncomingGrainCallFilter>(returns);
            s.AddSingleton<IIncomingGrainCallFilter>(reserves);
        });
        var tenant = await Tenant.BootstrapAsync(host.ConnectionString);
        using var client = host.Client(tenant.Token);
        var g = await GateScenario.CreateAsync(client, host.Clock.GetUtcNow(), general: 24, vip: 0, capacity: 1);
        var shards = g.Wristbands.GroupBy(w => CapacityShards.Of(w.Id)).Where(s => s.Count() >= 2).ToArray();
        var (leaving, arriving) = (shards[0].ElementAt(0), shards[0].ElementAt(1));
        var elsewhere = shards[1].First();

        // The series is full, and the shard of the one inside knows it (a borrow asked it for a place).
        Assert.True((await g.ScanAsync(leaving.NfcId)).Allowed);
        Assert.Equal(ScanReasons.CapacityReached, (await g.ScanAsync(elsewhere.NfcId)).Reason);

        // Leaving frees the place, which the shard returns; the return hangs at the coordinator.
        returns.Armed = true;
        var exit = g.ScanAsync(leaving.NfcId, direction: "out");
        await Eventually.ValueAsync(() => Task.FromResult(returns.Held), held => held == 1);
        var started = reserves.Started;
        var entry = client.PostAsync($"/api/events/{g.Event.Id}/scans", new { nfcId = arriving.NfcId, gateId = g.Main.Id, direction = "in", scanId = Guid.NewGuid() });
        await Eventually.ValueAsync(() => Task.FromResult(reserves.Started), n => n > started);
        returns.Thaw();
        Assert.True((await exit).Allowed);
        await entry;

        // The place the coordinator got back must not also be the one the entry took.
        await g.ScanAsync(elsewhere.NfcId);
        foreach (var w in g.Wristbands)
        {
            await g.ScanAsync(w.NfcId);
        }

        Assert.Equal(1, await OccupancyAsync(host, g));
        await AssertLedgerAddsUpAsync(client, g, 1);
    }

    private static async Task AssertLedgerAddsUpAsync(ApiClient client, GateScenario g, int capacity)
    {
        var ledger = await client.GetOkAsync<CapacityLedgerView>($"/api/series/{g.Series.Id}/capacity");
        Assert.Equal(capacity, ledger.Pool + ledger.Shards.Sum(s => s.Lease));
        Assert.All(ledger.Shards, s => Assert.True(s.Budget <= s.Lease, $"shard {s.Shard} holds {s.Budget} of a lease of {s.Lease}"));
    }

    private static Task<long> OccupancyAsync(ApiHost host, GateScenario g) =>
        Db.CountAsync(host.ConnectionString, "SELECT coalesce(sum(occupancy_delta), 0) FROM checkin_logs WHERE series_id = @s", ("s", g.Series.Id));

    private sealed record CapacityLedgerView(int? Capacity, int Pool, IReadOnlyList<ShardLedgerView> Shards, int InsideLogged);

    private sealed record ShardLedgerView(int Shard, int Lease, int? Budget, int? Inside, int? Reserved);

    /// <summary>While armed, calls of one method hang (their grain's silo is frozen) until thawed; counts how many were held.</summary>
    private sealed class HangCalls(string method) : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _thaw = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public volatile bool Armed;

        public int Held => Volatile.Read(ref _held);

        public void Thaw() => _thaw.TrySetResult();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (Armed && context.InterfaceMethod?.Name == method)
            {
                Interlocked.Increment(ref _held);
                await _thaw.Task;
            }

            await context.Invoke();
        }
    }

    /// <summary>Counts shard reservations started and under way.</summary>
    private sealed class CountReserves : IIncomingGrainCallFilter
    {
        private int _inFlight;
        private int _started;

        public int InFlight => Volatile.Read(ref _inFlight);

        public int Started => Volatile.Read(ref _started);

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (context.InterfaceMethod?.Name != nameof(ICapacityShardGrain.ReserveAsync))
            {
                await context.Invoke();
                return;
            }

            Interlocked.Increment(ref _started);
            Interlocked.Increment(ref _inFlight);
            try
            {
                await context.Invoke();
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>While armed, the next call of one method runs and then its answer is lost.</summary>
    private sealed class LoseNextAnswer(string grain, string method) : IIncomingGrainCallFilter
    {
        public volatile bool Armed;

        public volatile bool Lost;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            await context.Invoke();
            if (Armed && context.InterfaceMethod?.DeclaringType?.Name == grain && context.InterfaceMethod.Name == method)
            {
                Armed = false;
                Lost = true;
                throw new TimeoutException($"Injected fault: the answer of {grain}.{method} was lost.");
            }
        }
    }

    /// <summary>While armed, one shard's surrenders hang (its silo is frozen) until thawed; counts how many were held.</summary>
    private sealed class FreezeSurrenders : IIncomingGrainCallFilter
    {
        private readonly TaskCompletionSource _thaw = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _victim;
        private int _frozen;

        public volatile bool Armed;

        public int Frozen => Volatile.Read(ref _frozen);

        public void Thaw() => _thaw.TrySetResult();

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            if (Armed && context.InterfaceMethod?.Name == nameof(ICapacityShardGrain.SurrenderAsync))
            {
                var key = context.TargetId.Key.ToString();
                if (Interlocked.CompareExchange(ref _victim, key, null) is null || _victim == key)
                {
                    Interlocked.Increment(ref _frozen);
                    await _thaw.Task;
                }
            }

            await context.Invoke();
        }
    }
}
