-- Capacity shards count their wristbands inside from the log when they activate and again every
-- few seconds while their count moves (issue 15: an exit logged by a silo that died before telling
-- its shard must free its place). The count is the sum of occupancy_delta over one shard of one
-- series, and the newest exits' ids; this index answers both from the index alone, instead of
-- visiting every row of the series.
CREATE INDEX checkin_logs_capacity_ix ON checkin_logs (series_id, capacity_shard, at DESC)
    INCLUDE (occupancy_delta, id)
    WHERE capacity_shard IS NOT NULL;
