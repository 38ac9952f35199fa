using EventSeries.Persistence.Audit;
using Npgsql;
using NpgsqlTypes;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// Brings a wristband file in: its rows go by binary COPY into a staging table of one transaction
/// while the request body streams (nothing of the file is held in memory), then one merge
/// (<see cref="StagedWristbands.MergeAsync"/>) checks them as sets and upserts them. No grain is
/// called per row: wristbands whose gate memory may be stale learn it from the event's
/// <c>wristbands_version</c>, and the series that got assignments recount once.
/// </summary>
public sealed class WristbandImporter(NpgsqlDataSource db, ImportJobStore jobs, DomainTime time)
{
    /// <summary>How often (in rows) the job's progress is written while the file arrives.</summary>
    private const int ProgressEvery = 100_000;

    /// <summary>
    /// Stages the file. Rejections while reading are counted (the first ones kept); more than
    /// <paramref name="maxRows"/> rows stops the import with <see cref="ImportTooLargeException"/>.
    /// The caller owns the result and must dispose it (which rolls back unless merged).
    /// </summary>
    public async Task<StagedWristbands> ReceiveAsync(
        ImportJobView job, IAsyncEnumerable<ImportLine<WristbandImportRow>> lines, long maxRows, CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await connection.BeginTransactionAsync(cancellationToken);
            await using (var create = new NpgsqlCommand(
                """
                CREATE TEMP TABLE import_stage (
                    line bigint NOT NULL, id uuid NOT NULL, nfc_id text NOT NULL, category text NOT NULL, status text NULL,
                    holder_name text NULL, holder_email text NULL, series text NULL, maybe_repeated boolean NOT NULL
                ) ON COMMIT DROP
                """,
                connection,
                tx))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            var staged = new StagedWristbands(connection, tx, job, time);

            // 64-bit fingerprints of the UIDs seen (8 bytes each, not the rows): a row whose UID
            // may have come before is flagged, so only flagged UIDs are grouped in SQL, and a file
            // without repeats costs no grouping of a million rows at all.
            var seen = new HashSet<ulong>();
            await using (var copy = await connection.BeginBinaryImportAsync(
                "COPY import_stage (line, id, nfc_id, category, status, holder_name, holder_email, series, maybe_repeated) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                await foreach (var line in lines.WithCancellation(cancellationToken))
                {
                    if (++staged.RowsRead > maxRows)
                    {
                        throw new ImportTooLargeException($"The file has more than {maxRows:N0} rows; split it.");
                    }

                    if (line.Rejection is { } rejection)
                    {
                        staged.Reject(rejection);
                    }
                    else
                    {
                        var row = line.Row!;
                        await copy.StartRowAsync(cancellationToken);
                        await copy.WriteAsync(row.Line, NpgsqlDbType.Bigint, cancellationToken);
                        await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
                        await copy.WriteAsync(row.NfcId, NpgsqlDbType.Text, cancellationToken);
                        await copy.WriteAsync(row.Category, NpgsqlDbType.Text, cancellationToken);
                        await WriteNullableAsync(copy, row.Status, cancellationToken);
                        await WriteNullableAsync(copy, row.HolderName, cancellationToken);
                        await WriteNullableAsync(copy, row.HolderEmail, cancellationToken);
                        await WriteNullableAsync(copy, row.Series, cancellationToken);
                        await copy.WriteAsync(!seen.Add(Fingerprint(row.NfcId)), NpgsqlDbType.Boolean, cancellationToken);
                    }

                    if (staged.RowsRead % ProgressEvery == 0)
                    {
                        await jobs.ProgressAsync(job.Id, staged.RowsRead, staged.RejectedCount, time.Now());
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }

            return staged;
        }
        catch
        {
            if (tx is not null)
            {
                await tx.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>FNV-1a over the UID's characters: a collision only flags a row for the exact check in SQL.</summary>
    private static ulong Fingerprint(string nfcId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in nfcId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}

/// <summary>A file too large to import (more rows than allowed).</summary>
public sealed class ImportTooLargeException(string message) : Exception(message);

/// <summary>An import refused as a whole: every row is kept out (all or nothing, or a series limit).</summary>
public sealed class ImportRefusedException(string message) : Exception(message);

/// <summary>What a merge wrote, and which series now hold other assignments than before.</summary>
public sealed record WristbandMergeResult(ImportCounts Counts, IReadOnlyList<ImportRejection> Rejections, IReadOnlyList<Guid> SeriesChanged);
