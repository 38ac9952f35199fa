-- Orleans ADO.NET providers: the query catalogue (our own script, written from the provider contract).
--
-- Every Orleans ADO.NET provider (clustering, grain storage, reminders) starts by running the one SQL
-- string it has compiled in: SELECT QueryKey, QueryText FROM OrleansQuery. Each row is a query key the
-- provider knows and the SQL it should run for it, with @Name placeholders that the provider binds as
-- Npgsql parameters. The rows are read once at provider start-up and cached; later changes need a
-- silo restart. Unquoted names fold to lowercase, so orleansquery/querykey/querytext satisfy the
-- compiled query, and Npgsql matches result columns case-insensitively.
--
-- The scripts 0002..0004 add their own tables and catalogue rows. All Orleans objects are prefixed
-- "orleans" so they never clash with the domain tables (0100_domain.sql).

CREATE TABLE orleansquery (
    querykey   varchar(64)   NOT NULL PRIMARY KEY,
    querytext  varchar(8000) NOT NULL
);
