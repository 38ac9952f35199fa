namespace EventSeries.Persistence;

/// <summary>Settings for the transactions that write a million rows at once (imports, assign-all).</summary>
public static class BulkSql
{
    /// <summary>
    /// Local to the transaction. <c>work_mem</c>: sets of a million rows are hashed in memory rather
    /// than spilled to disk (4 MB by default). <c>enable_nestloop = off</c>: every join is a hash
    /// (or merge) join, linear in its inputs. A nested loop is what the planner picks when a table's
    /// statistics say it is empty or small (a fresh database, or a million rows loaded a moment
    /// ago, before autovacuum's analyze); with a sequential scan inside, an import whose
    /// NOT EXISTS looked into the table it was filling scanned it once per row and ran for over 20
    /// minutes instead of seconds. The price: a ten-row import into a table of millions hashes or
    /// scans more than it needs to, a second or two.
    /// </summary>
    public const string Settings = "SET LOCAL work_mem = '256MB'; SET LOCAL enable_nestloop = off";
}
