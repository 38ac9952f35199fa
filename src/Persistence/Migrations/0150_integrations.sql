-- Webhooks in (issue 12): payment providers, a CRM and ticket shops send signed deliveries
-- (Standard Webhooks) to /api/integrations/{organizationId}/{kind}.

-- Signing secrets, per organization and integration kind. HMAC needs the secret itself, so it cannot
-- be kept as a hash: it is kept encrypted (AES-256-GCM) with a key that lives in the API's
-- configuration, never in this database, so a copy of the database alone reveals no secret. The
-- ciphertext is bound to its organization, kind and id (associated data), so a row copied to
-- another organization does not decrypt.
CREATE TABLE integration_secrets (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('payments', 'crm', 'tickets')),
    -- nonce (12 bytes) || ciphertext || tag (16 bytes)
    ciphertext       bytea NOT NULL,
    -- Which configured key encrypted it (first bytes of its SHA-256), to say so when the key changed.
    key_id           text NOT NULL,
    created_at       timestamptz NOT NULL,
    created_by       text NOT NULL,
    -- Set when a newer secret replaced it: still accepted until then, so senders can switch over.
    expires_at       timestamptz NULL,
    -- Set when revoked: refused from that moment.
    revoked_at       timestamptz NULL
);
CREATE INDEX integration_secrets_org_kind_ix ON integration_secrets (organization_id, kind, created_at);

-- Every delivery accepted (signature and timestamp good), with the answer it got, so a repeated
-- delivery id answers as the first did and changes nothing. A row without a status is a delivery
-- being worked on (claimed_at); a claim older than a minute may be taken over (its process died).
CREATE TABLE integration_deliveries (
    organization_id  uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    delivery_id      text NOT NULL CHECK (length(delivery_id) BETWEEN 1 AND 200),
    kind             text NOT NULL CHECK (kind IN ('payments', 'crm', 'tickets')),
    -- SHA-256 of the raw body: the same id with another body is refused, not answered as the first.
    body_hash        bytea NOT NULL,
    event_type       text NULL,
    claimed_at       timestamptz NOT NULL,
    answered_at      timestamptz NULL,
    status           integer NULL,
    answer           text NULL,
    PRIMARY KEY (organization_id, delivery_id)
);
CREATE INDEX integration_deliveries_answered_ix ON integration_deliveries (answered_at);

-- Payments arrive out of order: a ticket remembers the time of the last payment event applied to
-- it, and older ones are ignored (refunds and chargebacks are final anyway).
ALTER TABLE tickets ADD COLUMN payment_event_at timestamptz NULL;

-- A ticket from a shop may wait for its payment: pending admits nobody, and turns valid when paid.
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check CHECK (status IN ('valid', 'void', 'refunded', 'used', 'pending'));
