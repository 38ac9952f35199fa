-- Orleans ADO.NET grain storage, written from the provider contract of
-- Microsoft.Orleans.Persistence.AdoNet 10.4.2 with Invariant "Npgsql".
--
-- Contract: the provider loads ReadFromStorageKey, WriteToStorageKey and ClearStorageKey (all required)
-- and DeleteStorageKey (needed only for DeleteStateOnClear = true). Every query gets @GrainIdHash (int),
-- @GrainIdN0/@GrainIdN1 (bigint), @GrainTypeHash (int), @GrainTypeString (the *state name*, e.g. the
-- [PersistentState("name")] value, not a CLR type), @GrainIdExtensionString (text or NULL) and
-- @ServiceId; Write adds @GrainStateVersion (int or NULL) and @PayloadBinary (bytea); Clear/Delete add
-- @GrainStateVersion. Key mapping: integer key -> N0 = 0, N1 = key; Guid key -> two halves; string key
-- -> N0 = N1 = 0 and the key in the extension string.
--  * Read returns 0 or 1 row (PayloadBinary, Version). A NULL payload reads as "no record", but its
--    Version is still the grain's etag.
--  * Write returns exactly one row, NewGrainStateVersion: the new version on success; NULL on an etag
--    conflict, which the provider turns into InconsistentStateException. @GrainStateVersion NULL means
--    "I saw no row": insert with version 1 only if no row exists. Otherwise update only if the stored
--    version equals @GrainStateVersion.
--  * Clear (DeleteStateOnClear = false, the default) NULLs the payload and bumps the version, keeping
--    the row as a tombstone so versions never restart; Delete removes the row. Both return exactly one
--    row: the new version (Delete: deleted version + 1) or NULL on conflict. The result is wrapped in
--    a scalar SELECT so the outcome is always explicit instead of depending on how a provider version
--    treats an empty result (older providers took "no row" as success).
--
-- Non-obvious choices:
--  * The upstream reference table has no key at all, so two rows for one grain could appear (two
--    activations inserting at once) and Read's SingleOrDefault would then fail forever. Here the grain
--    identity (serviceid, graintypestring, grainidhash, grainidn0, grainidn1, grainidextensionstring)
--    is a UNIQUE NULLS NOT DISTINCT constraint (PostgreSQL 15+): NULL extension strings (integer/Guid
--    keys) are equal to each other but still distinct from an empty string. Concurrent first inserts use
--    ON CONFLICT DO NOTHING and the loser reports a conflict (NULL) instead of failing with 23505.
--  * The grain type hash is stored for diagnostics only; it is derived from graintypestring, which is
--    compared exactly.
--  * Versions are int32 (the provider int.Parse()s the etag). A grain written very often could reach
--    2^31 - 1, so the version wraps to 1 instead of failing with "integer out of range"; etags are only
--    compared for equality, so a wrap cannot be confused with a real conflict.
--  * With DeleteStateOnClear = true a re-created row restarts at version 1, so a stale activation
--    holding etag "1" could overwrite it; prefer the default tombstone clear.

CREATE TABLE orleansstorage (
    serviceid               varchar(150) NOT NULL,
    graintypestring         varchar(512) NOT NULL,
    grainidhash             integer      NOT NULL,
    grainidn0               bigint       NOT NULL,
    grainidn1               bigint       NOT NULL,
    grainidextensionstring  varchar(512) NULL,
    graintypehash           integer      NOT NULL,
    payloadbinary           bytea        NULL,
    modifiedon              timestamptz  NOT NULL DEFAULT now(),
    version                 integer      NOT NULL,
    CONSTRAINT orleansstorage_grain_uq UNIQUE NULLS NOT DISTINCT
        (serviceid, graintypestring, grainidhash, grainidn0, grainidn1, grainidextensionstring)
);

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', '
SELECT payloadbinary AS PayloadBinary, version AS Version
  FROM orleansstorage
 WHERE serviceid = @ServiceId
   AND graintypestring = @GrainTypeString
   AND grainidhash = @GrainIdHash
   AND grainidn0 = @GrainIdN0
   AND grainidn1 = @GrainIdN1
   AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
'),
('WriteToStorageKey', '
WITH updated AS (
    UPDATE orleansstorage
       SET payloadbinary = @PayloadBinary,
           modifiedon = now(),
           version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END
     WHERE @GrainStateVersion IS NOT NULL
       AND serviceid = @ServiceId
       AND graintypestring = @GrainTypeString
       AND grainidhash = @GrainIdHash
       AND grainidn0 = @GrainIdN0
       AND grainidn1 = @GrainIdN1
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version
), inserted AS (
    INSERT INTO orleansstorage
        (serviceid, graintypestring, grainidhash, grainidn0, grainidn1, grainidextensionstring,
         graintypehash, payloadbinary, modifiedon, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
           @GrainTypeHash, @PayloadBinary, now(), 1
     WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleansstorage_grain_uq DO NOTHING
    RETURNING version
)
SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1) AS NewGrainStateVersion
'),
('ClearStorageKey', '
WITH cleared AS (
    UPDATE orleansstorage
       SET payloadbinary = NULL,
           modifiedon = now(),
           version = CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END
     WHERE @GrainStateVersion IS NOT NULL
       AND serviceid = @ServiceId
       AND graintypestring = @GrainTypeString
       AND grainidhash = @GrainIdHash
       AND grainidn0 = @GrainIdN0
       AND grainidn1 = @GrainIdN1
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING version
)
SELECT (SELECT version FROM cleared) AS NewGrainStateVersion
'),
('DeleteStorageKey', '
WITH deleted AS (
    DELETE FROM orleansstorage
     WHERE @GrainStateVersion IS NOT NULL
       AND serviceid = @ServiceId
       AND graintypestring = @GrainTypeString
       AND grainidhash = @GrainIdHash
       AND grainidn0 = @GrainIdN0
       AND grainidn1 = @GrainIdN1
       AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString
       AND version = @GrainStateVersion
    RETURNING CASE WHEN version = 2147483647 THEN 1 ELSE version + 1 END AS version
)
SELECT (SELECT version FROM deleted) AS NewGrainStateVersion
');
