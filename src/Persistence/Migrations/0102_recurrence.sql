-- Recurring series and automatic lifecycle (issue 5).

-- A child is one occurrence of its parent's rule: its sequence number is the occurrence's position
-- in the rule, so asking for instances again can never create the same occurrence twice.
DROP INDEX event_series_parent_ix;
CREATE UNIQUE INDEX event_series_parent_sequence_uq ON event_series (parent_series_id, sequence_number)
    WHERE parent_series_id IS NOT NULL;

-- GET /api/series filtered by event and lifecycle, ordered by start (10,000+ series per event);
-- the included columns let PostgreSQL answer the count and the page's ids from the index alone.
CREATE INDEX event_series_event_lifecycle_ix ON event_series (event_id, lifecycle_status, starts_at, id)
    INCLUDE (organization_id, ends_at, parent_series_id);

-- When the lifecycle moves on by itself next: a scheduled series when its check-in window opens, an
-- active one when it closes; null for every other state. The same window as CheckInWindow.OpensAt /
-- ClosesAt in C#. Kept by a trigger rather than by each writer, so bulk inserts and every future
-- writer stay right; a generated column cannot do it (timestamptz arithmetic is not immutable).
ALTER TABLE event_series ADD COLUMN lifecycle_due_at timestamptz NULL;

CREATE FUNCTION event_series_lifecycle_due_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.lifecycle_due_at := CASE NEW.lifecycle_status
        WHEN 'scheduled' THEN NEW.starts_at - make_interval(mins => NEW.checkin_opens_minutes_before)
        WHEN 'active' THEN coalesce(NEW.starts_at + make_interval(mins => NEW.checkin_closes_minutes_after), NEW.ends_at)
    END;
    RETURN NEW;
END
$$;

CREATE TRIGGER event_series_lifecycle_due_at
    BEFORE INSERT OR UPDATE OF lifecycle_status, starts_at, ends_at, checkin_opens_minutes_before, checkin_closes_minutes_after
    ON event_series FOR EACH ROW EXECUTE FUNCTION event_series_lifecycle_due_at();

UPDATE event_series SET lifecycle_status = lifecycle_status WHERE lifecycle_status IN ('scheduled', 'active');

-- The lifecycle sweeper reads only the due rows, oldest first; the index holds nothing else.
CREATE INDEX event_series_lifecycle_due_ix ON event_series (lifecycle_due_at, id) WHERE lifecycle_due_at IS NOT NULL;

-- A recurring parent's rule is stored as RFC 5545 content lines (RRULE, EXDATE) in
-- recurrence_pattern; the IANA zone its wall-clock times are in, and how far the sequence has been
-- generated (continuing starts after it, so a deleted child is not brought back), live beside it.
ALTER TABLE event_series
    ADD COLUMN recurrence_time_zone text NULL,
    ADD COLUMN recurrence_generated_through integer NOT NULL DEFAULT 0 CHECK (recurrence_generated_through >= 0);
