-- Each silo's own view of its check-in log writer over the last minute, written by the silo every
-- few seconds, so any API process can show every silo's log latency next to what Orleans' management
-- grain says of its load (a process cannot read another's in-memory meters). One row per silo
-- address; rows of silos long gone are deleted by the silos still reporting.
CREATE TABLE silo_health (
    silo text PRIMARY KEY,
    reported_at timestamptz NOT NULL,
    log_batches integer NOT NULL,
    log_rows bigint NOT NULL,
    log_failed_batches integer NOT NULL,
    log_commit_p50_ms double precision,
    log_commit_p99_ms double precision,
    log_commit_max_ms double precision
);
