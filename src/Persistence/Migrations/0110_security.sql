-- Security: scanner devices, the audit trail, and attendees' personal data on wristbands.

-- A scanner at the gates of one event. Its token (only a SHA-256 of it is stored) may scan and
-- read what a scanner needs, for that event and, when gate_ids is not empty, only those gates.
CREATE TABLE scanner_devices (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    gate_ids         uuid[] NOT NULL DEFAULT '{}',
    token_hash       bytea NOT NULL UNIQUE,
    created_at       timestamptz NOT NULL,
    created_by       uuid NULL REFERENCES users (id) ON DELETE SET NULL,
    revoked_at       timestamptz NULL
);
CREATE INDEX scanner_devices_event_ix ON scanner_devices (event_id, created_at);

-- Every administrative write, appended in the same transaction as the write itself, so the trail
-- has exactly the writes that happened. Append-only; no foreign keys, so it outlives what it names
-- (a deleted event's audit rows stay, with the organization they belonged to).
CREATE TABLE audit_log (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id  uuid NOT NULL,
    at               timestamptz NOT NULL,
    actor_user_id    uuid NULL,
    actor            text NOT NULL,
    action           text NOT NULL,
    target_type      text NOT NULL,
    target_id        text NOT NULL,
    before           jsonb NULL,
    after            jsonb NULL
);
CREATE INDEX audit_log_organization_ix ON audit_log (organization_id, id DESC);

-- Who wears a wristband (from the ticketing system): personal data, hidden from viewers.
ALTER TABLE wristbands
    ADD COLUMN holder_name  text NULL CHECK (length(holder_name) <= 200),
    ADD COLUMN holder_email text NULL CHECK (length(holder_email) <= 320);
