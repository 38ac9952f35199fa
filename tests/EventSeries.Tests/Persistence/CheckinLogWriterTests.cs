using EventSeries.CheckIns;
using EventSeries.Domain.CheckIns;
using EventSeries.Persistence.CheckIns;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSeries.Tests.Persistence;

/// <summary>The group-commit writer against PostgreSQL: fast copies, and exact answers when a unique index refuses rows.</summary>
[Trait("Category", "Postgres")]
public sealed class CheckinLogWriterTests(PostgresServer postgres)
{
    [Fact]
    public async Task ABatchWithRefusedRows_CommitsTheOthers_AndSaysWhichWereRefused()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var writer = new CheckinLogWriter(db, NullLogger<CheckinLogWriter>.Instance);
        var eventId = Guid.NewGuid();
        var scanId = Guid.NewGuid();
        var series = Guid.NewGuid();
        var wristband = Guid.NewGuid();
        Assert.True(await writer.AppendAsync(Row(eventId, scanId, series, wristband, presenceSeq: 1)));

        // One batch: a repeated scan id, a presence position already taken, and two fine rows.
        var results = await Task.WhenAll(
            writer.AppendAsync(Row(eventId, scanId, null, null, null)),
            writer.AppendAsync(Row(eventId, null, series, wristband, presenceSeq: 1)),
            writer.AppendAsync(Row(eventId, null, series, wristband, presenceSeq: 2)),
            writer.AppendAsync(Row(eventId, Guid.NewGuid(), null, null, null)));

        Assert.Equal([false, false, true, true], results);
        Assert.Equal(3, await Db.CountAsync(connectionString, "SELECT count(*) FROM checkin_logs WHERE event_id = @e", ("e", eventId)));
    }

    [Fact]
    public async Task ManyConcurrentAppends_AreAllDurable()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var writer = new CheckinLogWriter(db, NullLogger<CheckinLogWriter>.Instance);
        var eventId = Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 2000).Select(_ => writer.AppendAsync(Row(eventId, Guid.NewGuid(), null, null, null))));

        Assert.All(results, Assert.True);
        Assert.Equal(2000, await Db.CountAsync(connectionString, "SELECT count(*) FROM checkin_logs WHERE event_id = @e", ("e", eventId)));
    }

    /// <summary>
    /// Each writer loop keeps its connection between batches. When PostgreSQL cuts it (a restart),
    /// the batch on it fails (its scans are answered with an error, nothing admitted) and the next
    /// batch is written on a new connection. The loader's loops recover the same way.
    /// </summary>
    [Fact]
    public async Task ACutConnection_FailsOnlyTheBatchOnIt_ForTheWriterAndTheLoader()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var db = NpgsqlDataSource.Create(connectionString);
        await using var writer = new CheckinLogWriter(db, NullLogger<CheckinLogWriter>.Instance, writers: 1);
        await using var loader = new AccessLoader(db, new AccessStore(db), readers: 1);
        var eventId = Guid.NewGuid();
        Assert.True(await writer.AppendAsync(Row(eventId, Guid.NewGuid(), null, null, null)));
        Assert.Null((await loader.LoadAsync(eventId, "NFC1")).Wristband);

        var assertions = connectionString + ";Application Name=assertions";
        Assert.Equal(2, await Db.ScalarAsync<long>(assertions,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"));

        var lost = Row(eventId, Guid.NewGuid(), null, null, null);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => writer.AppendAsync(lost));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => loader.LoadAsync(eventId, "NFC1"));

        Assert.True(await writer.AppendAsync(Row(eventId, Guid.NewGuid(), null, null, null)));
        Assert.Null((await loader.LoadAsync(eventId, "NFC1")).Wristband);
        Assert.Equal(0, await Db.CountAsync(assertions, "SELECT count(*) FROM checkin_logs WHERE id = @id", ("id", lost.Id)));
        Assert.Equal(2, await Db.CountAsync(assertions, "SELECT count(*) FROM checkin_logs WHERE event_id = @e", ("e", eventId)));
    }

    private static CheckinRow Row(Guid eventId, Guid? scanId, Guid? seriesId, Guid? wristbandId, int? presenceSeq) => new(
        Guid.CreateVersion7(), Guid.NewGuid(), eventId, seriesId, wristbandId, "NFC1", "general", Guid.NewGuid(), ScanDirection.In,
        presenceSeq is null ? CheckinResult.Denied : CheckinResult.Allowed, presenceSeq is null ? "not_assigned" : "ok", null, "m", scanId, null, DateTimeOffset.UtcNow,
        null, presenceSeq, presenceSeq is null ? 0 : 1, null, null);
}
