-- An active series completes when it ends, not when its check-in window closes (issue 10): the
-- window may close hours before the end, and exits must still be recorded until then. The moment
-- is the later of the end and the window's close, the same as CheckInWindow.CompletesAt in C#.
CREATE OR REPLACE FUNCTION event_series_lifecycle_due_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.lifecycle_due_at := CASE NEW.lifecycle_status
        WHEN 'scheduled' THEN NEW.starts_at - make_interval(mins => NEW.checkin_opens_minutes_before)
        WHEN 'active' THEN greatest(NEW.ends_at, coalesce(NEW.starts_at + make_interval(mins => NEW.checkin_closes_minutes_after), NEW.ends_at))
    END;
    RETURN NEW;
END
$$;

UPDATE event_series SET lifecycle_status = lifecycle_status WHERE lifecycle_status = 'active';
