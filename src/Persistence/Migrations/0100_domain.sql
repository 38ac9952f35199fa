-- The domain's relational tables: what people query, what must stay consistent across grains
-- (unique NFC UIDs, foreign keys), and what is loaded in bulk. Grains are the single writers of
-- these rows and keep them in memory; see docs/architecture.md for which data lives where.
-- Every tenant-owned table carries organization_id so each query can be scoped to the caller's
-- organizations (the seed's row-level-security rule) with an index to match.

CREATE TABLE organizations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    display_name  text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    email         text NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_uq ON users (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE organization_members (
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role             text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'member', 'viewer')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_user_ix ON organization_members (user_id);

-- Bearer tokens: only a SHA-256 of the secret is stored; the secret is shown once.
CREATE TABLE api_tokens (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    name        text NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_by  uuid NULL REFERENCES users (id) ON DELETE SET NULL,
    expires_at  timestamptz NULL,
    revoked_at  timestamptz NULL
);
CREATE INDEX api_tokens_user_ix ON api_tokens (user_id);

CREATE TABLE events (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description      text NULL,
    time_zone        text NOT NULL DEFAULT 'UTC',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_organization_ix ON events (organization_id, created_at);

CREATE TABLE categories (
    event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
    description  text NULL,
    PRIMARY KEY (event_id, name)
);

CREATE TABLE gates (
    id                  uuid PRIMARY KEY,
    event_id            uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organization_id     uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    kind                text NOT NULL CHECK (kind IN ('entry', 'exit', 'vip', 'staff', 'mixed')),
    status              text NOT NULL CHECK (status IN ('open', 'closed')),
    allowed_categories  text[] NOT NULL DEFAULT '{}',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, name)
);

CREATE TABLE wristbands (
    id               uuid PRIMARY KEY,
    event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    nfc_id           text NOT NULL CHECK (length(nfc_id) BETWEEN 1 AND 64),
    category         text NOT NULL,
    status           text NOT NULL CHECK (status IN ('active', 'inactive', 'lost', 'stolen', 'revoked')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, nfc_id),
    FOREIGN KEY (event_id, category) REFERENCES categories (event_id, name)
);
CREATE INDEX wristbands_event_category_ix ON wristbands (event_id, category);

CREATE TABLE event_series (
    id                                uuid PRIMARY KEY,
    organization_id                   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_id                          uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name                              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description                       text NULL,
    starts_at                         timestamptz NOT NULL,
    ends_at                           timestamptz NOT NULL,
    checkin_opens_minutes_before      integer NOT NULL CHECK (checkin_opens_minutes_before >= 0),
    checkin_closes_minutes_after      integer NULL CHECK (checkin_closes_minutes_after >= 0),
    capacity                          integer NULL CHECK (capacity >= 0),
    lifecycle_status                  text NOT NULL
        CHECK (lifecycle_status IN ('draft', 'scheduled', 'active', 'completed', 'cancelled')),
    parent_series_id                  uuid NULL REFERENCES event_series (id) ON DELETE SET NULL,
    sequence_number                   integer NULL,
    is_recurring                      boolean NOT NULL DEFAULT false,
    recurrence_pattern                text NULL,
    -- Optimistic concurrency: the grain writes with WHERE version = its version, so a stale
    -- second activation can never overwrite a newer row.
    version                           integer NOT NULL DEFAULT 1,
    created_by                        uuid NULL REFERENCES users (id) ON DELETE SET NULL,
    created_at                        timestamptz NOT NULL DEFAULT now(),
    updated_at                        timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX event_series_event_ix ON event_series (event_id, starts_at);
CREATE INDEX event_series_lifecycle_ix ON event_series (lifecycle_status, starts_at);
CREATE INDEX event_series_organization_ix ON event_series (organization_id, starts_at);
CREATE INDEX event_series_parent_ix ON event_series (parent_series_id, sequence_number) WHERE parent_series_id IS NOT NULL;

CREATE TABLE series_gates (
    series_id    uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    gate_id      uuid NOT NULL REFERENCES gates (id) ON DELETE CASCADE,
    assigned_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (series_id, gate_id)
);
CREATE INDEX series_gates_gate_ix ON series_gates (gate_id);

CREATE TABLE series_category_limits (
    series_id       uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    category        text NOT NULL,
    max_wristbands  integer NOT NULL CHECK (max_wristbands >= 0),
    PRIMARY KEY (series_id, category)
);

CREATE TABLE series_wristband_assignments (
    series_id     uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    wristband_id  uuid NOT NULL REFERENCES wristbands (id) ON DELETE CASCADE,
    category      text NOT NULL,
    is_active     boolean NOT NULL DEFAULT true,
    assigned_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (series_id, wristband_id)
);
CREATE INDEX series_wristband_assignments_active_ix ON series_wristband_assignments (series_id, is_active);
CREATE INDEX series_wristband_assignments_wristband_ix ON series_wristband_assignments (wristband_id);

-- Append-only: the transition log is never updated; it outlives nothing but its series.
CREATE TABLE series_state_transitions (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    series_id      uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    from_status    text NULL,
    to_status      text NOT NULL,
    at             timestamptz NOT NULL,
    actor_user_id  uuid NULL REFERENCES users (id) ON DELETE SET NULL,
    actor          text NOT NULL,
    reason         text NULL
);
CREATE INDEX series_state_transitions_series_ix ON series_state_transitions (series_id, id);
