-- Ticket imports at a million rows (issue 12): the same trade as 0145_bulk_references.sql made for
-- wristbands. Measured on the 2-core machine (shared, so noisy), inserting 1,000,000 tickets took
-- 20.3 s with their organization, event and category foreign keys and 13.2 s without them, and
-- 1,000,000 series_tickets rows 8.9 s with their two foreign keys and 3.0 s without. The 15 s floor
-- for a ticket import through HTTP is out of reach with them, so for these two tables the same
-- rules are kept by statement-level triggers that check each statement's new rows as one set and
-- cascade deletes as one statement. The wristband key stays a row-level foreign key: imports leave
-- it null, which a foreign key does not check, and the box office sets it one ticket at a time.

ALTER TABLE tickets
    DROP CONSTRAINT tickets_organization_id_fkey,
    DROP CONSTRAINT tickets_event_id_fkey,
    DROP CONSTRAINT tickets_event_id_ticket_type_fkey;

ALTER TABLE series_tickets
    DROP CONSTRAINT series_tickets_series_id_fkey,
    DROP CONSTRAINT series_tickets_ticket_id_fkey;

-- New or changed tickets: their event exists, belongs to their organization, and has their ticket
-- type as a category. The parent rows are locked FOR KEY SHARE, as a foreign key would lock them.
CREATE FUNCTION tickets_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    PERFORM 1
    FROM events e
    JOIN categories c ON c.event_id = e.id
    JOIN (SELECT DISTINCT event_id, ticket_type FROM changed) n ON n.event_id = c.event_id AND n.ticket_type = c.name
    FOR KEY SHARE OF e, c;

    SELECT n.event_id, n.organization_id, n.ticket_type INTO missing
    FROM (SELECT DISTINCT event_id, organization_id, ticket_type FROM changed) n
    WHERE NOT EXISTS (
        SELECT 1 FROM events e JOIN categories c ON c.event_id = e.id
        WHERE e.id = n.event_id AND e.organization_id = n.organization_id AND c.name = n.ticket_type)
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'tickets: event % of organization % has no category %', missing.event_id, missing.organization_id, missing.ticket_type
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'tickets_references';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tickets_inserted_check AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tickets_check_references();
CREATE TRIGGER tickets_updated_check AFTER UPDATE ON tickets
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tickets_check_references();

-- New series of tickets: the series exists, and the ticket exists in the series' event. Tickets are
-- deleted only with their event, so locking the series and its event keeps both ends.
CREATE FUNCTION series_tickets_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing record;
BEGIN
    PERFORM 1
    FROM event_series s
    JOIN events e ON e.id = s.event_id
    WHERE s.id IN (SELECT DISTINCT series_id FROM changed)
    FOR KEY SHARE OF s, e;

    SELECT n.series_id, n.ticket_id INTO missing
    FROM changed n
    LEFT JOIN event_series s ON s.id = n.series_id
    LEFT JOIN tickets t ON t.id = n.ticket_id AND t.event_id = s.event_id
    WHERE t.id IS NULL
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'series_tickets: series % has no ticket % in its event', missing.series_id, missing.ticket_id
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'series_tickets_references';
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER series_tickets_inserted_check AFTER INSERT ON series_tickets
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION series_tickets_check_references();
CREATE TRIGGER series_tickets_updated_check AFTER UPDATE ON series_tickets
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION series_tickets_check_references();

-- Cascades, one statement each. An event's tickets go with it, before its wristbands: statement
-- triggers of one event fire in name order ('events_deleted_before_wristbands' < 'events_deleted_cascade'),
-- and a wristband deleted first would set its ticket's wristband_id to null, an update whose check
-- would then find the ticket's event gone.
CREATE FUNCTION events_delete_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tickets t USING gone g WHERE t.event_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER events_deleted_before_wristbands AFTER DELETE ON events
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION events_delete_tickets();

CREATE FUNCTION tickets_delete_series() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM series_tickets st USING gone g WHERE st.ticket_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER tickets_deleted_cascade AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION tickets_delete_series();

CREATE FUNCTION series_delete_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM series_tickets st USING gone g WHERE st.series_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER series_deleted_tickets AFTER DELETE ON event_series
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION series_delete_tickets();

-- A category is never removed while wristbands or tickets of a living event wear it (the foreign
-- key from tickets kept that; categories go only with their event today).
CREATE OR REPLACE FUNCTION categories_check_unused() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM gone g
        JOIN wristbands w ON w.event_id = g.event_id AND w.category = g.name
        JOIN events e ON e.id = g.event_id) THEN
        RAISE EXCEPTION 'categories: a category in use by wristbands cannot be removed'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'wristbands_references';
    END IF;
    IF EXISTS (
        SELECT 1 FROM gone g
        JOIN tickets t ON t.event_id = g.event_id AND t.ticket_type = g.name
        JOIN events e ON e.id = g.event_id) THEN
        RAISE EXCEPTION 'categories: a category in use by tickets cannot be removed'
            USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'tickets_references';
    END IF;
    RETURN NULL;
END $$;

-- Which import last created or changed a ticket (as wristbands.import_id): where a ticket came from.
ALTER TABLE tickets ADD COLUMN import_id uuid NULL;

-- One index less to write per ticket (about 1.5 s of a million): a status filter reads the
-- event's tickets through tickets_event_ix, in the order the list wants them anyway.
DROP INDEX tickets_event_status_ix;
