using Npgsql;

namespace EventSeries.Tests.Persistence;

/// <summary>
/// The statement-level triggers of 0145_bulk_references.sql keep what the row-level foreign keys of
/// wristbands and assignments kept (they were replaced for speed): no row pointing at nothing, and
/// deletes cascade. Driven with plain SQL, as any writer could.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class BulkReferencesTests(PostgresServer postgres)
{
    private static readonly Guid Org = Guid.NewGuid(), OtherOrg = Guid.NewGuid(), Event = Guid.NewGuid(), OtherEvent = Guid.NewGuid(), Series = Guid.NewGuid();

    [Fact]
    public async Task AWristbandWithoutItsEventsCategory_OrInAnotherOrganization_IsRefused()
    {
        var db = await SeedAsync();

        await AssertRefusedAsync(db, $"INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status) VALUES (gen_random_uuid(), '{Event}', '{Org}', 'W9', 'backstage', 'active')");
        await AssertRefusedAsync(db, $"INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status) VALUES (gen_random_uuid(), '{Event}', '{OtherOrg}', 'W9', 'general', 'active')");
        await AssertRefusedAsync(db, $"INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status) VALUES (gen_random_uuid(), '{Guid.NewGuid()}', '{Org}', 'W9', 'general', 'active')");
        await AssertRefusedAsync(db, "UPDATE wristbands SET category = 'backstage' WHERE nfc_id = 'W1'");
        await AssertRefusedAsync(db, $"DELETE FROM categories WHERE event_id = '{Event}' AND name = 'general'");
        Assert.Equal(2, await Db.CountAsync(db, "SELECT count(*) FROM wristbands"));
    }

    [Fact]
    public async Task AnAssignmentOfAWristbandOfAnotherEvent_OrToNoSeries_IsRefused()
    {
        var db = await SeedAsync();

        await AssertRefusedAsync(db, $"INSERT INTO series_wristband_assignments (series_id, wristband_id, category) SELECT '{Series}', id, category FROM wristbands WHERE nfc_id = 'X1'");
        await AssertRefusedAsync(db, $"INSERT INTO series_wristband_assignments (series_id, wristband_id, category) SELECT '{Guid.NewGuid()}', id, category FROM wristbands WHERE nfc_id = 'W1'");
        await Db.ExecuteAsync(db, $"INSERT INTO series_wristband_assignments (series_id, wristband_id, category) SELECT '{Series}', id, category FROM wristbands WHERE nfc_id = 'W1'");
        Assert.Equal(1, await Db.CountAsync(db, "SELECT count(*) FROM series_wristband_assignments"));
    }

    [Fact]
    public async Task DeletingASeries_AnEvent_OrAnOrganization_TakesTheirWristbandsAndAssignmentsWithThem()
    {
        var db = await SeedAsync();
        await Db.ExecuteAsync(db, $"INSERT INTO series_wristband_assignments (series_id, wristband_id, category) SELECT '{Series}', id, category FROM wristbands WHERE nfc_id = 'W1'");

        await Db.ExecuteAsync(db, $"DELETE FROM event_series WHERE id = '{Series}'");
        Assert.Equal(0, await Db.CountAsync(db, "SELECT count(*) FROM series_wristband_assignments"));

        await Db.ExecuteAsync(db, $"INSERT INTO event_series (id, organization_id, event_id, name, starts_at, ends_at, checkin_opens_minutes_before, lifecycle_status, reentry_policy) VALUES ('{Series}', '{Org}', '{Event}', 'Day 1', now(), now() + interval '1 hour', 60, 'draft', 'reentry')");
        await Db.ExecuteAsync(db, $"INSERT INTO series_wristband_assignments (series_id, wristband_id, category) SELECT '{Series}', id, category FROM wristbands WHERE nfc_id = 'W1'");
        await Db.ExecuteAsync(db, $"DELETE FROM events WHERE id = '{Event}'");
        Assert.Equal((0L, 0L, 1L), (
            await Db.CountAsync(db, $"SELECT count(*) FROM wristbands WHERE event_id = '{Event}'"),
            await Db.CountAsync(db, "SELECT count(*) FROM series_wristband_assignments"),
            await Db.CountAsync(db, $"SELECT count(*) FROM wristbands WHERE event_id = '{OtherEvent}'")));

        await Db.ExecuteAsync(db, $"DELETE FROM organizations WHERE id = '{OtherOrg}'");
        Assert.Equal(0, await Db.CountAsync(db, "SELECT count(*) FROM wristbands"));
    }

    private async Task<string> SeedAsync()
    {
        var db = await postgres.CreateDatabaseAsync();
        await Db.ExecuteAsync(db, $"""
            INSERT INTO organizations (id, name) VALUES ('{Org}', 'Org'), ('{OtherOrg}', 'Other');
            INSERT INTO events (id, organization_id, name, time_zone) VALUES ('{Event}', '{Org}', 'Fest', 'UTC'), ('{OtherEvent}', '{OtherOrg}', 'Other Fest', 'UTC');
            INSERT INTO categories (event_id, name) VALUES ('{Event}', 'general'), ('{OtherEvent}', 'general');
            INSERT INTO wristbands (id, event_id, organization_id, nfc_id, category, status) VALUES
                (gen_random_uuid(), '{Event}', '{Org}', 'W1', 'general', 'active'), (gen_random_uuid(), '{OtherEvent}', '{OtherOrg}', 'X1', 'general', 'active');
            INSERT INTO event_series (id, organization_id, event_id, name, starts_at, ends_at, checkin_opens_minutes_before, lifecycle_status, reentry_policy)
                VALUES ('{Series}', '{Org}', '{Event}', 'Day 1', now(), now() + interval '1 hour', 60, 'draft', 'reentry');
            """);
        return db;
    }

    private static async Task AssertRefusedAsync(string db, string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Db.ExecuteAsync(db, sql));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, refused.SqlState);
    }
}
