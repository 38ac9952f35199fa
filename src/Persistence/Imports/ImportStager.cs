using Npgsql;
using NpgsqlTypes;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// Brings a file's rows in by binary COPY into a staging table of one transaction while the request
/// body streams (nothing of the file is held in memory), for any kind of import: the kind names its
/// staged columns and writes its row's fields; the line and a new id are written here.
/// </summary>
public sealed class ImportStager(NpgsqlDataSource db, ImportJobStore jobs, DomainTime time)
{
    /// <summary>How often (in rows) the job's progress is written while the file arrives.</summary>
    private const int ProgressEvery = 100_000;

    /// <summary>
    /// Stages the file into <c>import_stage (line, id, <paramref name="columns"/>)</c>. Rejections while
    /// reading are counted (the first ones kept); more than <paramref name="maxRows"/> rows stops the
    /// import with <see cref="ImportTooLargeException"/>. The caller owns the result and must dispose
    /// it (which rolls back unless merged).
    /// </summary>
    /// <param name="job">The job the file belongs to (its progress is written while the file arrives).</param>
    /// <param name="lines">The file's lines as read: valid rows and rejections.</param>
    /// <param name="maxRows">The most rows accepted.</param>
    /// <param name="columns">The kind's staged columns with their types, e.g. <c>nfc_id text NOT NULL, status text NULL</c>.</param>
    /// <param name="create">Makes the kind's staged import over the open transaction.</param>
    /// <param name="write">Writes one valid row's fields after its line and id, in the order of <paramref name="columns"/>.</param>
    /// <param name="cancellationToken">Ends the upload (the request was aborted).</param>
    public async Task<TStaged> ReceiveAsync<TRow, TStaged>(
        ImportJobView job, IAsyncEnumerable<ImportLine<TRow>> lines, long maxRows, string columns,
        Func<NpgsqlConnection, NpgsqlTransaction, TStaged> create, Func<NpgsqlBinaryImporter, TRow, CancellationToken, Task> write,
        CancellationToken cancellationToken)
        where TRow : class, IImportRow
        where TStaged : StagedImport
    {
        var names = string.Join(", ", columns.Split(',').Select(c => c.Trim().Split(' ')[0]));
        var connection = await db.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? tx = null;
        try
        {
            tx = await connection.BeginTransactionAsync(cancellationToken);
            await using (var table = new NpgsqlCommand(
                $"CREATE TEMP TABLE import_stage (line bigint NOT NULL, id uuid NOT NULL, maybe_repeated boolean NOT NULL, {columns}) ON COMMIT DROP", connection, tx))
            {
                await table.ExecuteNonQueryAsync(cancellationToken);
            }

            var staged = create(connection, tx);

            // 64-bit fingerprints of the keys seen (8 bytes each, not the rows): a row whose key may
            // have come before is flagged, so only flagged keys are grouped in SQL, and a file
            // without repeats costs no grouping of a million rows at all.
            var seen = new HashSet<ulong>();
            await using (var copy = await connection.BeginBinaryImportAsync(
                $"COPY import_stage (line, id, maybe_repeated, {names}) FROM STDIN (FORMAT BINARY)", cancellationToken))
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
                        await copy.WriteAsync(!seen.Add(Fingerprint(row.Key)), NpgsqlDbType.Boolean, cancellationToken);
                        await write(copy, row, cancellationToken);
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

    /// <summary>FNV-1a over the key's characters: a collision only flags a row for the exact check in SQL.</summary>
    private static ulong Fingerprint(string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    /// <summary>Writes a text field, or NULL for an absent one.</summary>
    public static Task WriteTextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}

/// <summary>A valid row of an import file, which knows its line and what makes it the same row as another.</summary>
public interface IImportRow
{
    long Line { get; }

    /// <summary>The row's identity in the file (an NFC UID; a source and external id).</summary>
    string Key { get; }
}

/// <summary>A file too large to import (more rows than allowed).</summary>
public sealed class ImportTooLargeException(string message) : Exception(message);

/// <summary>An import refused as a whole: every row is kept out (all or nothing, or a series limit).</summary>
public sealed class ImportRefusedException(string message) : Exception(message);
