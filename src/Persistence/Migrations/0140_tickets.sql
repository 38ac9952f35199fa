-- Tickets (issue 12): what an attendee bought, from a ticketing system, and the series it admits
-- to. At the box office a valid ticket is exchanged for a wristband (wristband_id); from then on
-- the wristband is admitted only while its ticket is valid, so voiding or refunding the ticket
-- takes the wristband's access away.

CREATE TABLE tickets (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- The ticket's id in the system it came from; unique per event and source system, so the
    -- same ticket arriving twice (an import repeated, a webhook redelivered) is the same row.
    external_id      text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
    source           text NOT NULL CHECK (length(source) BETWEEN 1 AND 100),
    -- Personal data, hidden from viewers.
    holder_name      text NULL CHECK (length(holder_name) <= 200),
    holder_email     text NULL CHECK (length(holder_email) <= 320),
    -- The ticket type is a wristband category of the event: the category the paired band gets.
    ticket_type      text NOT NULL,
    status           text NOT NULL CHECK (status IN ('valid', 'void', 'refunded', 'used')),
    -- The wristband it was exchanged for: at most one at a time, and a band serves one ticket.
    wristband_id     uuid NULL REFERENCES wristbands (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (event_id, source, external_id),
    FOREIGN KEY (event_id, ticket_type) REFERENCES categories (event_id, name)
);
CREATE INDEX tickets_event_ix ON tickets (event_id, created_at, id);
CREATE INDEX tickets_event_status_ix ON tickets (event_id, status);
-- Also how a wristband's access grain finds its ticket when it activates.
CREATE UNIQUE INDEX tickets_wristband_uq ON tickets (wristband_id) WHERE wristband_id IS NOT NULL;

-- Which series a ticket admits to (all of the ticket's event).
CREATE TABLE series_tickets (
    series_id  uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    ticket_id  uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, series_id)
);
CREATE INDEX series_tickets_series_ix ON series_tickets (series_id, ticket_id);
