-- Webhooks out (issue 13): organizations subscribe URLs to event types; every change they
-- subscribed to becomes a delivery row in the same transaction as the change (triggers below), or,
-- for scans, a pump copies the check-in log after a durable cursor. Silos send the rows, signed
-- (Standard Webhooks), one sender per subscription. See docs/webhooks.md.

CREATE TABLE webhook_subscriptions (
    id                    uuid PRIMARY KEY,
    organization_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url                   text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    event_types           text[] NOT NULL CHECK (cardinality(event_types) > 0 AND event_types <@ ARRAY[
                              'checkin.created', 'checkin.denied', 'series.transitioned', 'ticket.updated', 'import.completed']),
    description           text NULL CHECK (length(description) <= 500),
    -- The signing secret, encrypted (AES-256-GCM, key in configuration; as integration_secrets).
    ciphertext            bytea NOT NULL,
    key_id                text NOT NULL,
    status                text NOT NULL CHECK (status IN ('active', 'paused')),
    paused_reason         text NULL,
    paused_at             timestamptz NULL,
    -- Failed attempts in a row (any delivery) and when the first of them was: the pause rule.
    consecutive_failures  integer NOT NULL DEFAULT 0,
    failing_since         timestamptz NULL,
    created_at            timestamptz NOT NULL,
    created_by            text NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX webhook_subscriptions_org_ix ON webhook_subscriptions (organization_id, created_at);

-- One row per (subscription, event): what to send and how far it got. id is the order of
-- enqueueing and the webhook-id receivers de-duplicate on. ordering_key is the series (or the
-- event, for tickets and imports): a key's next delivery waits until the previous one succeeded.
CREATE TABLE webhook_deliveries (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id   uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    organization_id   uuid NOT NULL,
    ordering_key      uuid NOT NULL,
    event_type        text NOT NULL,
    occurred_at       timestamptz NOT NULL,
    data              jsonb NOT NULL,
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts          integer NOT NULL DEFAULT 0,
    -- NULL: due at once. Times here are the domain clock's (the sender's), not the database's.
    next_attempt_at   timestamptz NULL,
    first_attempt_at  timestamptz NULL,
    last_status_code  integer NULL,
    last_error        text NULL,
    finished_at       timestamptz NULL,
    created_at        timestamptz NOT NULL DEFAULT now()
);
-- The sender's queue: only pending rows, per subscription in order.
CREATE INDEX webhook_deliveries_pending_ix ON webhook_deliveries (subscription_id, ordering_key, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription_ix ON webhook_deliveries (subscription_id, id);
-- Retention: finished rows by age.
CREATE INDEX webhook_deliveries_finished_ix ON webhook_deliveries (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE webhook_attempts (
    delivery_id   bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt       integer NOT NULL,
    at            timestamptz NOT NULL,
    duration_ms   integer NOT NULL,
    status_code   integer NULL,
    error         text NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- Fans new rows of a change out to the organization's subscriptions of that type, set-wise. When
-- no subscription anywhere has the type, it returns after one look at a small table.
CREATE FUNCTION webhook_subscribed(event_type text) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE event_type = ANY (event_types))
$$;

CREATE FUNCTION webhook_enqueue_series_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT webhook_subscribed('series.transitioned') THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_deliveries (subscription_id, organization_id, ordering_key, event_type, occurred_at, data)
    SELECT s.id, s.organization_id, t.series_id, 'series.transitioned', t.at,
           jsonb_build_object('seriesId', t.series_id, 'eventId', e.event_id, 'from', t.from_status, 'to', t.to_status,
                              'at', t.at, 'actor', t.actor, 'reason', t.reason)
    FROM new_transitions t
    JOIN event_series e ON e.id = t.series_id
    JOIN webhook_subscriptions s ON s.organization_id = e.organization_id AND 'series.transitioned' = ANY (s.event_types)
    -- A series' creation is logged as its first transition (from nothing to draft): not a move.
    WHERE t.from_status IS NOT NULL
    ORDER BY t.id, s.id;
    RETURN NULL;
END $$;
CREATE TRIGGER series_state_transitions_webhooks AFTER INSERT ON series_state_transitions
    REFERENCING NEW TABLE AS new_transitions FOR EACH STATEMENT EXECUTE FUNCTION webhook_enqueue_series_transitions();

-- Every updated ticket row (a void, an edit, a payment, an exchange, an import's changed rows):
-- the updates in this codebase skip rows that would not change. No personal data in the payload.
CREATE FUNCTION webhook_enqueue_ticket_updates() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT webhook_subscribed('ticket.updated') THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_deliveries (subscription_id, organization_id, ordering_key, event_type, occurred_at, data)
    SELECT s.id, s.organization_id, t.event_id, 'ticket.updated', t.updated_at,
           jsonb_build_object('ticketId', t.id, 'eventId', t.event_id, 'source', t.source, 'externalId', t.external_id,
                              'ticketType', t.ticket_type, 'status', t.status, 'wristbandId', t.wristband_id, 'updatedAt', t.updated_at)
    FROM webhook_subscriptions s
    JOIN new_tickets t ON t.organization_id = s.organization_id
    WHERE 'ticket.updated' = ANY (s.event_types)
    ORDER BY t.updated_at, t.id, s.id;
    RETURN NULL;
END $$;
CREATE TRIGGER tickets_webhooks AFTER UPDATE ON tickets
    REFERENCING NEW TABLE AS new_tickets FOR EACH STATEMENT EXECUTE FUNCTION webhook_enqueue_ticket_updates();

CREATE FUNCTION webhook_enqueue_imports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT webhook_subscribed('import.completed') THEN
        RETURN NULL;
    END IF;
    INSERT INTO webhook_deliveries (subscription_id, organization_id, ordering_key, event_type, occurred_at, data)
    SELECT s.id, s.organization_id, n.event_id, 'import.completed', n.finished_at,
           jsonb_build_object('importId', n.id, 'eventId', n.event_id, 'kind', n.kind, 'rowsRead', n.rows_read, 'created', n.created,
                              'updated', n.updated, 'unchanged', n.unchanged, 'rejected', n.rejected, 'assigned', n.assigned, 'finishedAt', n.finished_at)
    FROM new_jobs n
    JOIN old_jobs o ON o.id = n.id
    JOIN webhook_subscriptions s ON s.organization_id = n.organization_id AND 'import.completed' = ANY (s.event_types)
    WHERE n.status = 'completed' AND o.status <> 'completed'
    ORDER BY n.id, s.id;
    RETURN NULL;
END $$;
CREATE TRIGGER import_jobs_webhooks AFTER UPDATE ON import_jobs
    REFERENCING OLD TABLE AS old_jobs NEW TABLE AS new_jobs FOR EACH STATEMENT EXECUTE FUNCTION webhook_enqueue_imports();

-- Scans: not on the scan path. New log rows get a number from a sequence (a column default, so
-- the log writer's COPY is unchanged and old rows stay NULL without rewriting the table); the
-- pump reads rows after its cursor in that order. BRIN: the numbers grow with the table, and a
-- BRIN index costs next to nothing per insert, unlike a fourth B-tree on the scan path.
CREATE SEQUENCE checkin_logs_log_seq;
ALTER TABLE checkin_logs ADD COLUMN log_seq bigint NULL;
ALTER TABLE checkin_logs ALTER COLUMN log_seq SET DEFAULT nextval('checkin_logs_log_seq');
CREATE INDEX checkin_logs_log_seq_brin ON checkin_logs USING brin (log_seq);

CREATE TABLE webhook_pump_cursors (
    name      text PRIMARY KEY,
    position  bigint NOT NULL
);
INSERT INTO webhook_pump_cursors (name, position) VALUES ('checkins', 0);
