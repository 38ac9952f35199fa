-- Orleans ADO.NET reminders, written from the provider contract of
-- Microsoft.Orleans.Reminders.AdoNet 10.4.2 with Invariant "Npgsql".
--
-- Contract: the provider loads all of orleansquery and refuses to start unless these 7 keys exist:
-- ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key, ReadRangeRows2Key, UpsertReminderRowKey,
-- DeleteReminderRowKey, DeleteReminderRowsKey. Rows are keyed by ClusterOptions.ServiceId; @GrainId is
-- GrainId.ToString() ("type/key"). Reads return GrainId, ReminderName, StartTime, Period, Version.
--  * @GrainHash/@BeginHash/@EndHash are uint hashes cast to signed int, so the ring is compared as
--    signed ints: ReadRangeRows1Key (begin < end) is hash > begin AND hash <= end; ReadRangeRows2Key
--    (the wrap-around, and begin = end meaning the whole ring) is hash > begin OR hash <= end.
--  * Period is milliseconds, bound as int or bigint and read with GetInt64, so the column is bigint.
--  * StartTime is a UTC DateTime, hence timestamptz.
--  * UpsertReminderRowKey inserts (Version 0) or updates and increments Version, and returns it in a
--    column named Version. DeleteReminderRowKey deletes only when Version matches the etag and
--    always returns exactly one row with one column (1 = deleted, 0 = not), because the provider
--    reads it with First().

CREATE TABLE orleansreminderstable (
    serviceid     varchar(150) NOT NULL,
    grainid       varchar(512) NOT NULL,
    remindername  varchar(150) NOT NULL,
    starttime     timestamptz  NOT NULL,
    period        bigint       NOT NULL,
    grainhash     integer      NOT NULL,
    version       integer      NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

-- Range reads by ring segment (each silo reads the reminders of the hashes it owns).
CREATE INDEX orleansreminderstable_hash_ix ON orleansreminderstable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadReminderRowsKey', '
SELECT grainid AS GrainId, remindername AS ReminderName, starttime AS StartTime,
       period AS Period, version AS Version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND grainid = @GrainId
'),
('ReadReminderRowKey', '
SELECT grainid AS GrainId, remindername AS ReminderName, starttime AS StartTime,
       period AS Period, version AS Version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName
'),
('ReadRangeRows1Key', '
SELECT grainid AS GrainId, remindername AS ReminderName, starttime AS StartTime,
       period AS Period, version AS Version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash
'),
('ReadRangeRows2Key', '
SELECT grainid AS GrainId, remindername AS ReminderName, starttime AS StartTime,
       period AS Period, version AS Version
  FROM orleansreminderstable
 WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash)
'),
('UpsertReminderRowKey', '
INSERT INTO orleansreminderstable AS r
    (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
   SET starttime = excluded.starttime,
       period = excluded.period,
       grainhash = excluded.grainhash,
       version = r.version + 1
RETURNING r.version AS Version
'),
('DeleteReminderRowKey', '
WITH deleted AS (
    DELETE FROM orleansreminderstable
     WHERE serviceid = @ServiceId AND grainid = @GrainId
       AND remindername = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT count(*)::integer AS deleted FROM deleted
'),
('DeleteReminderRowsKey', '
DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId
');
