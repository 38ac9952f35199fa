-- The metrics cache holds rows only for series that exist. Before this, a request for a made-up
-- series id could leave a row behind (issue 10); now the database refuses such a row whoever
-- writes it, and a deleted series takes its cache row with it.

-- Rows written for unknown or since-deleted series first, or the constraint cannot be added.
DELETE FROM series_metrics_cache c WHERE NOT EXISTS (SELECT 1 FROM event_series s WHERE s.id = c.series_id);

ALTER TABLE series_metrics_cache
    ADD CONSTRAINT series_metrics_cache_series_fk FOREIGN KEY (series_id) REFERENCES event_series (id) ON DELETE CASCADE;
