-- Imports at a million rows (issue 12). A row-level foreign key checks each inserted row on its
-- own (a lookup and a KEY SHARE lock per row and per key): measured on the 2-core machine,
-- inserting 1,000,000 wristbands took 5.8 s without their three foreign keys and 21 s with them,
-- and 1,000,000 assignments 5.2 s without their two and 12.6 s with them. So for the two tables
-- filled in bulk the same rules are kept by statement-level triggers that check each statement's
-- new rows as one set (one join, a few parent rows locked) and cascade deletes as one statement.
-- What they keep is what the foreign keys kept, plus one thing those did not: a wristband's
-- organization is its event's organization.

ALTER TABLE wristbands
    DROP CONSTRAINT wristbands_event_id_fkey,
    DROP CONSTRAINT wristbands_organization_id_fkey,
    DROP CONSTRAINT wristbands_event_id_category_fkey;

ALTER TABLE series_wristband_assignments
    DROP CONSTRAINT series_wristband_assignments_series_id_fkey,
    DROP CONSTRAINT series_wristband_assignments_wristband_id_fkey;

-- Indexes that cost a million-row load more than they save: the first one's leading column is
-- the primary key's and nothing filters by is_active alone; the second one's reads (a category's
-- wristbands of one event) are served well enough by the event's rows in NFC UID order (the
-- unique index) or one scan of them. Each is about a second of a million rows.
DROP INDEX series_wristband_assignments_active_ix;
DROP INDEX wristbands_event_category_ix;

-- New or changed wristbands: their event exists, belongs to their organization, and has their
-- category. The parent rows are locked FOR KEY SHARE, as a foreign key would, so neither the
-- event nor the category can go before these rows commit.
CREATE FUNCTION wristbands_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    PERFORM 1
    FROM events e
    JOIN categories c ON c.event_id = e.id
    JOIN (SELECT DISTINCT event_id, category FROM changed) n ON n.event_id = c.event_id AND n.category = c.name
    FOR KEY SHARE OF e, c;

    SELECT n.event_id, n.organization_id, n.category INTO missing
    FROM (SELECT DISTINCT event_id, organization_id, category FROM changed) n
    WHERE NOT EXISTS (
        SELECT 1 FROM events e JOIN categories c ON c.event_id = e.id
        WHERE e.id = n.event_id AND e.organization_id = n.organization_id AND c.name = n.category)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'wristbands: event % of organization % has no category %', missing.event_id, missing.organization_id, missing.category
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'wristbands_references';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER wristbands_inserted_check AFTER INSERT ON wristbands
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wristbands_check_references();
CREATE TRIGGER wristbands_updated_check AFTER UPDATE ON wristbands
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION wristbands_check_references();

-- New assignments: their series exists, and their wristband exists in the series' event. The
-- series row and the event row are locked FOR KEY SHARE: wristbands are deleted only with their
-- event (nothing deletes one wristband), so the event's lock keeps the wristbands too.
CREATE FUNCTION assignments_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    PERFORM 1
    FROM event_series s
    JOIN events e ON e.id = s.event_id
    WHERE s.id IN (SELECT DISTINCT series_id FROM changed)
    FOR KEY SHARE OF s, e;

    SELECT n.series_id, n.wristband_id INTO missing
    FROM changed n
    LEFT JOIN event_series s ON s.id = n.series_id
    LEFT JOIN wristbands w ON w.id = n.wristband_id AND w.event_id = s.event_id
    WHERE w.id IS NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'series_wristband_assignments: series % has no wristband % in its event', missing.series_id, missing.wristband_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'series_wristband_assignments_references';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER assignments_inserted_check AFTER INSERT ON series_wristband_assignments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION assignments_check_references();
CREATE TRIGGER assignments_updated_check AFTER UPDATE ON series_wristband_assignments
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION assignments_check_references();

-- Cascades, one statement each: an event's wristbands go with it (an organization's events go
-- with it through their own foreign key, which fires this too), and assignments go with their
-- series or their wristband.
CREATE FUNCTION events_delete_wristbands() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM wristbands w USING gone g WHERE w.event_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER events_deleted_cascade AFTER DELETE ON events
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION events_delete_wristbands();

CREATE FUNCTION wristbands_delete_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM series_wristband_assignments a USING gone g WHERE a.wristband_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER wristbands_deleted_cascade AFTER DELETE ON wristbands
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION wristbands_delete_assignments();

CREATE FUNCTION series_delete_assignments() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM series_wristband_assignments a USING gone g WHERE a.series_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER series_deleted_cascade AFTER DELETE ON event_series
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION series_delete_assignments();

-- A category is never removed while wristbands of a living event wear it (categories go only
-- with their event today; this keeps it so for any later writer).
CREATE FUNCTION categories_check_unused() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM gone g
        JOIN wristbands w ON w.event_id = g.event_id AND w.category = g.name
        JOIN events e ON e.id = g.event_id) THEN
        RAISE EXCEPTION 'categories: a category in use by wristbands cannot be removed'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'wristbands_references';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER categories_deleted_check AFTER DELETE ON categories
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION categories_check_unused();

-- Imports: which import last created or changed a wristband (so "assign all of an import" needs
-- no list of UIDs), and a version of the event's wristbands that scans compare (an import that
-- changes wristbands bumps it once, and each wristband's gate memory reads its row again at its
-- next scan, instead of the import calling a grain per row).
ALTER TABLE wristbands ADD COLUMN import_id uuid NULL;
ALTER TABLE events ADD COLUMN wristbands_version bigint NOT NULL DEFAULT 0;

CREATE TABLE import_jobs (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('wristbands', 'tickets')),
    format           text NOT NULL CHECK (format IN ('csv', 'ndjson')),
    mode             text NOT NULL CHECK (mode IN ('skip_invalid', 'all_or_nothing')),
    status           text NOT NULL CHECK (status IN ('receiving', 'merging', 'completed', 'failed')),
    rows_read        bigint NOT NULL DEFAULT 0,
    created          bigint NOT NULL DEFAULT 0,
    updated          bigint NOT NULL DEFAULT 0,
    unchanged        bigint NOT NULL DEFAULT 0,
    rejected         bigint NOT NULL DEFAULT 0,
    assigned         bigint NOT NULL DEFAULT 0,
    -- The first rejections, with line numbers and reasons (at most 100).
    rejections       jsonb NOT NULL DEFAULT '[]',
    error            text NULL,
    created_by       uuid NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    finished_at      timestamptz NULL
);
CREATE INDEX import_jobs_event_ix ON import_jobs (event_id, created_at DESC);
