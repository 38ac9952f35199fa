using EventSeries.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EventSeries.Tests.Persistence;

/// <summary>
/// 0120_integrity_metrics.sql on a database that already has cache rows for series that do not
/// exist (as written before the fix): it removes them, keeps the others, and adds the foreign key.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class MetricsCacheMigrationTests(PostgresServer postgres)
{
    [Fact]
    public async Task Migration_DeletesOrphanCacheRows_ThenRefusesNewOnes()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var tenant = await Tenant.BootstrapAsync(connectionString, "Migrated Org");
        var (orphan, kept) = (Guid.NewGuid(), Guid.NewGuid());

        // The database as it was before 0120: no constraint, one row for a made-up id, one for a real series.
        await Db.ExecuteAsync(
            connectionString,
            """
            ALTER TABLE series_metrics_cache DROP CONSTRAINT series_metrics_cache_series_fk;
            DELETE FROM schemaversions WHERE scriptname LIKE '%0120_integrity_metrics.sql';
            INSERT INTO events (id, organization_id, name, time_zone, created_at, updated_at) VALUES (@event, @org, 'Old Fest', 'UTC', now(), now());
            INSERT INTO event_series (id, organization_id, event_id, name, starts_at, ends_at, checkin_opens_minutes_before, lifecycle_status)
                 VALUES (@kept, @org, @event, 'Day 1', now(), now() + interval '1 hour', 60, 'draft');
            INSERT INTO series_metrics_cache (series_id, computed_at, total_scans, allowed, denied, unique_wristbands, occupancy, metrics)
                 VALUES (@orphan, now(), 0, 0, 0, 0, 0, '{}'), (@kept, now(), 0, 0, 0, 0, 0, '{}');
            """,
            ("event", Guid.NewGuid()), ("org", tenant.OrganizationId), ("kept", kept), ("orphan", orphan));

        await DatabaseMigrator.MigrateAsync(connectionString, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(0, await Db.CountAsync(connectionString, "SELECT count(*) FROM series_metrics_cache WHERE series_id = @s", ("s", orphan)));
        Assert.Equal(1, await Db.CountAsync(connectionString, "SELECT count(*) FROM series_metrics_cache WHERE series_id = @s", ("s", kept)));
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Db.ExecuteAsync(
            connectionString,
            "INSERT INTO series_metrics_cache (series_id, computed_at, total_scans, allowed, denied, unique_wristbands, occupancy, metrics) VALUES (@s, now(), 0, 0, 0, 0, 0, '{}')",
            ("s", orphan)));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
    }
}
