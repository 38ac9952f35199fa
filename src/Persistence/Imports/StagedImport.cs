using EventSeries.Security;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// A file in its staging table (<c>import_stage</c>), inside the transaction that will merge it: what
/// wristband and ticket imports share (the rejections, the set checks' bookkeeping, series references).
/// Disposing it without <see cref="MergeAsync"/> rolls everything back: nothing of the file is written.
/// </summary>
public abstract class StagedImport(NpgsqlConnection connection, NpgsqlTransaction tx, ImportJobView job) : IAsyncDisposable
{
    /// <summary>
    /// How a bulk transaction joins a million rows (see <see cref="BulkSql.Settings"/>).
    /// </summary>
    private const string BulkSettings = BulkSql.Settings;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly List<ImportRejection> _rejections = [];

    public ImportJobView Job { get; } = job;

    public long RowsRead { get; set; }

    public long RejectedCount { get; private set; }

    public IReadOnlyList<ImportRejection> Rejections => _rejections;

    protected NpgsqlConnection Connection { get; } = connection;

    protected NpgsqlTransaction Tx { get; } = tx;

    public void Reject(ImportRejection rejection)
    {
        RejectedCount++;
        if (_rejections.Count < ImportJobStore.RejectionsKept)
        {
            _rejections.Add(rejection);
        }
    }

    /// <summary>Checks the staged rows as sets, writes the valid ones and finishes the job, all in one transaction.</summary>
    public abstract Task<ImportCounts> MergeAsync(Caller caller, ImportMode mode, CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Tx.DisposeAsync();
        await Connection.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The first rejections by line, whichever check found them.</summary>
    public IReadOnlyList<ImportRejection> Sorted() => [.. _rejections.OrderBy(r => r.Line).Take(ImportJobStore.RejectionsKept)];

    /// <summary>With <see cref="ImportMode.AllOrNothing"/>, any rejection refuses the whole file.</summary>
    protected void RefuseIfAnyRejected(ImportMode mode)
    {
        if (mode == ImportMode.AllOrNothing && RejectedCount > 0)
        {
            throw new ImportRefusedException($"{RejectedCount:N0} rows were rejected, so with mode=all_or_nothing nothing was imported.");
        }
    }

    /// <summary>
    /// Resolves each row's series (an id, or a name that names one series of the event) once per
    /// distinct reference into <c>import_series</c> (line, <paramref name="keyColumns"/>, ref) and
    /// <c>import_series_refs</c> (ref, matches, ended), and rejects rows naming none, several or an
    /// ended one. <paramref name="keyColumns"/> are the staged columns that find the row's target
    /// again after the upsert (which leaves unchanged rows out of <c>import_stage</c>).
    /// </summary>
    protected async Task ResolveSeriesAsync(Guid eventId, string keyColumns)
    {
        var keys = string.Join(", ", keyColumns.Split(',').Select(c => "s." + c.Trim()));
        await ExecuteAsync(
            $"""
            CREATE TEMP TABLE import_series ON COMMIT DROP AS
            SELECT s.line, {keys}, btrim(x.ref) AS ref
            FROM import_stage s CROSS JOIN LATERAL unnest(string_to_array(s.series, '|')) AS x (ref)
            WHERE s.series IS NOT NULL AND btrim(x.ref) <> ''
            """);
        await Connection.ExecuteAsync(
            """
            CREATE TEMP TABLE import_series_refs ON COMMIT DROP AS
            SELECT r.ref, array_agg(es.id) FILTER (WHERE es.id IS NOT NULL) AS matches,
                   coalesce(bool_or(es.lifecycle_status IN ('completed', 'cancelled')), false) AS ended
            FROM (SELECT DISTINCT ref FROM import_series) r
            LEFT JOIN event_series es ON es.event_id = @eventId AND (es.id::text = lower(r.ref) OR es.name = r.ref)
            GROUP BY r.ref
            """,
            new { eventId },
            Tx);
        await RejectAsync(
            """
            DELETE FROM import_stage s USING (
                SELECT x.line, min(CASE
                    WHEN r.matches IS NULL THEN 'unknown series ' || x.ref
                    WHEN cardinality(r.matches) > 1 THEN 'series name ' || x.ref || ' names ' || cardinality(r.matches) || ' series; use its id'
                    ELSE 'series ' || x.ref || ' has ended' END) AS reason
                FROM import_series x JOIN import_series_refs r ON r.ref = x.ref
                WHERE r.matches IS NULL OR cardinality(r.matches) > 1 OR r.ended
                GROUP BY x.line) b
            WHERE s.line = b.line
            RETURNING s.line, b.reason
            """,
            new { });
        await DropRejectedSeriesAsync();
    }

    /// <summary>Forgets the series references of rows no longer staged (rejected since).</summary>
    protected Task DropRejectedSeriesAsync() =>
        ExecuteAsync("DELETE FROM import_series x WHERE NOT EXISTS (SELECT 1 FROM import_stage s WHERE s.line = x.line)");

    /// <summary>Runs a DELETE … RETURNING line, reason over the staged rows and records what it took out.</summary>
    protected async Task RejectAsync(string deleteReturning, object args)
    {
        var (count, first) = await Connection.QuerySingleAsync<(long Count, string First)>(
            $"""
            WITH gone AS ({deleteReturning})
            SELECT (SELECT count(*) FROM gone),
                   (SELECT coalesce(jsonb_agg(jsonb_build_object('line', f.line, 'reason', f.reason) ORDER BY f.line), '[]'::jsonb)::text
                    FROM (SELECT line, reason FROM gone ORDER BY line LIMIT {ImportJobStore.RejectionsKept}) f)
            """,
            args,
            Tx,
            commandTimeout: 0);
        RejectedCount += count;
        _rejections.AddRange(JsonSerializer.Deserialize<List<ImportRejection>>(first, Json) ?? []);
    }

    /// <summary>
    /// The start of every merge: the bulk settings, statistics for the staged rows, and the rows whose
    /// <paramref name="key"/> (staged columns, comma separated) repeats an earlier line taken out. Only
    /// keys flagged while reading (their fingerprint was seen before) are grouped.
    /// </summary>
    /// <param name="key">The staged columns that identify a row, e.g. <c>source, external_id</c>.</param>
    /// <param name="describe">A SQL text expression over the staged row <c>s</c> naming the key for the reason.</param>
    protected async Task PrepareAsync(string key, string describe)
    {
        await ExecuteAsync(BulkSettings);
        await ExecuteAsync("ANALYZE import_stage");
        if (!await Connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM import_stage WHERE maybe_repeated)", transaction: Tx))
        {
            return;
        }

        var columns = key.Split(',', StringSplitOptions.TrimEntries);
        string Of(string alias) => string.Join(", ", columns.Select(c => $"{alias}.{c}"));
        await RejectAsync(
            $"""
            DELETE FROM import_stage s USING (
                SELECT {key}, min(line) AS first FROM import_stage
                WHERE ({key}) IN (SELECT {key} FROM import_stage WHERE maybe_repeated)
                GROUP BY {key} HAVING count(*) > 1) d
            WHERE ({Of("s")}) = ({Of("d")}) AND s.line <> d.first
            RETURNING s.line, {describe} || ' repeats line ' || d.first AS reason
            """,
            new { });
    }

    protected Task ExecuteAsync(string sql) => Connection.ExecuteAsync(sql, transaction: Tx, commandTimeout: 0);
}
