-- The check-in path: the re-entry policy of a series, the append-only check-in log and the
-- seed's metrics cache.

ALTER TABLE event_series
    ADD COLUMN reentry_policy text NOT NULL DEFAULT 'reentry'
        CHECK (reentry_policy IN ('single', 'reentry', 'unlimited'));

-- Every scan, allowed or denied, and every annulment. Never updated, never deleted. No foreign
-- keys: the log outlives what it mentions and is written at gate speed.
CREATE TABLE checkin_logs (
    id               uuid PRIMARY KEY,
    organization_id  uuid NOT NULL,
    event_id         uuid NOT NULL,
    series_id        uuid NULL,
    wristband_id     uuid NULL,
    nfc_id           text NOT NULL,
    category         text NULL,
    gate_id          uuid NOT NULL,
    direction        text NOT NULL CHECK (direction IN ('in', 'out')),
    result           text NOT NULL CHECK (result IN ('allowed', 'denied', 'annulled')),
    reason           text NOT NULL,
    detail           text NULL,
    message          text NOT NULL,
    scan_id          uuid NULL,
    scanned_at       timestamptz NULL,
    at               timestamptz NOT NULL,
    actor_user_id    uuid NULL,
    -- Position in the wristband's presence history in this series (allowed rows and annulments
    -- only). Unique, so two activations of one wristband can never both admit from the same state.
    presence_seq     integer NULL,
    -- +1 for an admitted entry, -1 for an exit or annulment that freed a place, else 0: the
    -- series' occupancy is the sum. capacity_shard says which capacity shard counted it, so a
    -- shard can rebuild its count from the log.
    occupancy_delta  smallint NOT NULL DEFAULT 0,
    capacity_shard   smallint NULL,
    annuls           uuid NULL
);
-- Three indexes only, because every one is paid on every scan: scan ids (idempotency, and the
-- lookup of a retried scan's first verdict), presence positions (no double admission; also how a
-- wristband's presence is loaded), and the series' timeline (the log endpoint and metrics).
CREATE UNIQUE INDEX checkin_logs_scan_uq ON checkin_logs (event_id, scan_id) WHERE scan_id IS NOT NULL;
CREATE UNIQUE INDEX checkin_logs_presence_uq ON checkin_logs (wristband_id, series_id, presence_seq) WHERE presence_seq IS NOT NULL;
CREATE INDEX checkin_logs_series_at_ix ON checkin_logs (series_id, at DESC);

-- The seed's 5-minute metrics cache, for SQL users; the live numbers come from the metrics grain.
CREATE TABLE series_metrics_cache (
    series_id          uuid PRIMARY KEY,
    computed_at        timestamptz NOT NULL,
    total_scans        bigint NOT NULL,
    allowed            bigint NOT NULL,
    denied             bigint NOT NULL,
    unique_wristbands  bigint NOT NULL,
    occupancy          bigint NOT NULL,
    metrics            jsonb NOT NULL
);
