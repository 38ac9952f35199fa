-- Background work a recurring parent does for its children (issue 11): applying an edit to every
-- instance, or cancelling them with it. The row is written in the same transaction as the parent's
-- own change, so a changed parent always has its job; the parent's grain then works through the
-- children in small batches (one grain turn each), moving cursor_sequence and the counts after
-- every batch. After a restart the running rows say what is left; children are idempotent
-- targets, so redoing the batch that was in flight changes nothing twice.
CREATE TABLE series_jobs (
    id                uuid PRIMARY KEY,
    organization_id   uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    parent_series_id  uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    kind              text NOT NULL CHECK (kind IN ('apply_spec', 'cancel_children')),
    payload           jsonb NOT NULL,
    status            text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
    -- Children with a sequence number up to through_sequence when the job was accepted; later ones
    -- are generated from the parent's changed row and need nothing.
    through_sequence  int NOT NULL CHECK (through_sequence >= 0),
    cursor_sequence   int NOT NULL DEFAULT 0 CHECK (cursor_sequence >= 0),
    total             int NOT NULL CHECK (total >= 0),
    done              int NOT NULL DEFAULT 0 CHECK (done >= 0),
    skipped           int NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    failed            int NOT NULL DEFAULT 0 CHECK (failed >= 0),
    created_by        uuid,
    created_by_name   text NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    last_error        text
);

CREATE INDEX series_jobs_parent ON series_jobs (parent_series_id, created_at DESC);

-- What a restart (or the periodic sweep) has to resume: only running rows.
CREATE INDEX series_jobs_running ON series_jobs (parent_series_id, created_at) WHERE status = 'running';
