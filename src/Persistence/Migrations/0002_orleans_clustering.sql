-- Orleans ADO.NET clustering (membership table), written from the provider contract of
-- Microsoft.Orleans.Clustering.AdoNet 10.4.2 with Invariant "Npgsql".
--
-- Contract: the provider loads all of orleansquery and refuses to start ("Not all required queries
-- found. Missing are: ...") unless these 9 keys exist: InsertMembershipVersionKey, MembershipReadAllKey,
-- MembershipReadRowKey, InsertMembershipKey, UpdateMembershipKey, UpdateIAmAlivetimeKey (lowercase "t"),
-- GatewaysQueryKey, DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey. 10.4.2 also uses the
-- optional CleanupDefunctSiloEntryKey when it is present: it then reads the table, picks Dead rows
-- whose start, heartbeat and suspicion times are all older than the cutoff, and deletes each one only
-- if the row still holds exactly the values it read. We provide it, so the bulk key is only a fallback.
--
-- Rows are keyed by ClusterOptions.ClusterId, passed as @DeploymentId. The version row is the
-- table-wide etag: every membership insert/update must atomically check that it still holds the
-- @Version the caller read and bump it. Status: 3 = Active, 6 = Dead.
--
-- Non-obvious choices:
--  * StartTime/IAmAliveTime are timestamptz: Npgsql 6+ sends UTC DateTimes as timestamptz, and Orleans
--    reads them back as UTC.
--  * Insert/update go through two PL/pgSQL functions that first lock the version row FOR UPDATE *only
--    if* it still has the caller's @Version, then write the member row, then bump the version. Nothing is
--    written before both checks pass, so an etag or existence failure just returns 0. No ASSERT is used
--    for control flow (ASSERT is a no-op when plpgsql.check_asserts is off, which would silently commit
--    half of an operation); the one "cannot happen" case raises an explicit exception, which rolls back
--    the whole statement.
--  * Every query whose result Orleans reads as a single boolean/int returns exactly one row with one
--    column (the provider calls First() on it).
--  * MembershipReadAll/ReadRow are one statement (one MVCC snapshot), version row LEFT JOIN members, so
--    the version and the rows are consistent and the version row is returned even with no members.
--  * The bulk cleanup deletes only Dead (6) rows older than the cutoff, like the per-row key (10.4.2's
--    cleanup agent itself only considers Dead rows), so a row is never removed before the cluster has
--    declared its silo dead.
--  * UpdateIAmAlivetimeKey touches only the heartbeat, never the version (heartbeats must not
--    invalidate the etags other silos hold).

CREATE TABLE orleansmembershipversiontable (
    deploymentid  varchar(150) NOT NULL PRIMARY KEY,
    modifiedon    timestamptz  NOT NULL DEFAULT now(),
    version       integer      NOT NULL DEFAULT 0
);

CREATE TABLE orleansmembershiptable (
    deploymentid  varchar(150)  NOT NULL REFERENCES orleansmembershipversiontable (deploymentid) ON DELETE CASCADE,
    address       varchar(45)   NOT NULL,
    port          integer       NOT NULL,
    generation    integer       NOT NULL,
    siloname      varchar(150)  NOT NULL,
    hostname      varchar(255)  NOT NULL,
    status        integer       NOT NULL,
    proxyport     integer       NULL,
    suspecttimes  varchar(8000) NULL,
    starttime     timestamptz   NOT NULL,
    iamalivetime  timestamptz   NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Insert a member row and bump the table version, atomically and only if the version still equals
-- p_version. Returns 1 on success, 0 on etag mismatch / missing version row / row already present.
CREATE FUNCTION orleans_membership_insert(
    p_deploymentid text,
    p_address      text,
    p_port         integer,
    p_generation   integer,
    p_siloname     text,
    p_hostname     text,
    p_status       integer,
    p_proxyport    integer,
    p_starttime    timestamptz,
    p_iamalivetime timestamptz,
    p_version      integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    affected integer;
BEGIN
    -- Serialise writers on the version row; FOR UPDATE re-checks the version after waiting, so a
    -- concurrent writer that bumped it first makes this find nothing.
    PERFORM 1 FROM orleansmembershipversiontable
     WHERE deploymentid = p_deploymentid AND version = p_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport,
         suspecttimes, starttime, iamalivetime)
    VALUES
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname, p_status, p_proxyport,
         NULL, p_starttime, p_iamalivetime)
    ON CONFLICT (deploymentid, address, port, generation) DO NOTHING;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershipversiontable
       SET version = version + 1, modifiedon = now()
     WHERE deploymentid = p_deploymentid AND version = p_version;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected <> 1 THEN
        -- Cannot happen while we hold the row lock; raising rolls back the member insert too.
        RAISE EXCEPTION 'orleans_membership_insert: version row % changed while locked', p_deploymentid;
    END IF;
    RETURN 1;
END
$$;

-- Update a member row's status/suspicions/heartbeat and bump the table version, atomically and only
-- if the version still equals p_version. Returns 1 on success, 0 otherwise (nothing written).
CREATE FUNCTION orleans_membership_update(
    p_deploymentid text,
    p_address      text,
    p_port         integer,
    p_generation   integer,
    p_status       integer,
    p_suspecttimes text,
    p_iamalivetime timestamptz,
    p_version      integer)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    affected integer;
BEGIN
    PERFORM 1 FROM orleansmembershipversiontable
     WHERE deploymentid = p_deploymentid AND version = p_version
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershiptable
       SET status = p_status, suspecttimes = p_suspecttimes, iamalivetime = p_iamalivetime
     WHERE deploymentid = p_deploymentid AND address = p_address
       AND port = p_port AND generation = p_generation;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN 0;
    END IF;

    UPDATE orleansmembershipversiontable
       SET version = version + 1, modifiedon = now()
     WHERE deploymentid = p_deploymentid AND version = p_version;
    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected <> 1 THEN
        RAISE EXCEPTION 'orleans_membership_update: version row % changed while locked', p_deploymentid;
    END IF;
    RETURN 1;
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', '
WITH inserted AS (
    INSERT INTO orleansmembershipversiontable (deploymentid, modifiedon, version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS inserted FROM inserted
'),
('MembershipReadAllKey', '
SELECT v.deploymentid AS DeploymentId,
       m.address      AS Address,
       m.port         AS Port,
       m.generation   AS Generation,
       m.siloname     AS SiloName,
       m.hostname     AS HostName,
       m.status       AS Status,
       m.proxyport    AS ProxyPort,
       m.suspecttimes AS SuspectTimes,
       m.starttime    AS StartTime,
       m.iamalivetime AS IAmAliveTime,
       v.version      AS Version
  FROM orleansmembershipversiontable v
  LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
 WHERE v.deploymentid = @DeploymentId
'),
('MembershipReadRowKey', '
SELECT v.deploymentid AS DeploymentId,
       m.address      AS Address,
       m.port         AS Port,
       m.generation   AS Generation,
       m.siloname     AS SiloName,
       m.hostname     AS HostName,
       m.status       AS Status,
       m.proxyport    AS ProxyPort,
       m.suspecttimes AS SuspectTimes,
       m.starttime    AS StartTime,
       m.iamalivetime AS IAmAliveTime,
       v.version      AS Version
  FROM orleansmembershipversiontable v
  LEFT JOIN orleansmembershiptable m
         ON m.deploymentid = v.deploymentid
        AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
 WHERE v.deploymentid = @DeploymentId
'),
('InsertMembershipKey', '
SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                 @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS inserted
'),
('UpdateMembershipKey', '
SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                 @IAmAliveTime, @Version) AS updated
'),
('UpdateIAmAlivetimeKey', '
UPDATE orleansmembershiptable
   SET iamalivetime = @IAmAliveTime
 WHERE deploymentid = @DeploymentId AND address = @Address
   AND port = @Port AND generation = @Generation
'),
('GatewaysQueryKey', '
SELECT address AS Address, proxyport AS ProxyPort, generation AS Generation
  FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0
'),
('DeleteMembershipTableEntriesKey', '
WITH members AS (
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId
)
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId
'),
('CleanupDefunctSiloEntriesKey', '
DELETE FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId
   AND status = 6
   AND iamalivetime < @IAmAliveTime
   AND starttime < @IAmAliveTime
'),
('CleanupDefunctSiloEntryKey', '
DELETE FROM orleansmembershiptable
 WHERE deploymentid = @DeploymentId
   AND address = @Address AND port = @Port AND generation = @Generation
   AND status = 6
   AND starttime = @StartTime
   AND iamalivetime = @IAmAliveTime
   AND coalesce(suspecttimes, '''') = coalesce(@SuspectTimes, '''')
');
