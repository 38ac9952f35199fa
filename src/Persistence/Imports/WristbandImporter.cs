using NpgsqlTypes;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// Brings a wristband file in: its rows go by binary COPY into a staging table of one transaction
/// while the request body streams (<see cref="ImportStager"/>), then one merge
/// (<see cref="StagedWristbands.MergeAsync"/>) checks them as sets and upserts them. No grain is
/// called per row: wristbands whose gate memory may be stale learn it from the event's
/// <c>wristbands_version</c>, and the series that got assignments recount once.
/// </summary>
public sealed class WristbandImporter(ImportStager stager, DomainTime time)
{
    /// <summary>Stages the file; the caller owns the result and must dispose it (which rolls back unless merged).</summary>
    public Task<StagedWristbands> ReceiveAsync(
        ImportJobView job, IAsyncEnumerable<ImportLine<WristbandImportRow>> lines, long maxRows, CancellationToken cancellationToken) =>
        stager.ReceiveAsync(
            job, lines, maxRows,
            "nfc_id text NOT NULL, category text NOT NULL, status text NULL, holder_name text NULL, holder_email text NULL, series text NULL",
            (connection, tx) => new StagedWristbands(connection, tx, job, time),
            async (copy, row, ct) =>
            {
                await copy.WriteAsync(row.NfcId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Category, NpgsqlDbType.Text, ct);
                await ImportStager.WriteTextAsync(copy, row.Status, ct);
                await ImportStager.WriteTextAsync(copy, row.HolderName, ct);
                await ImportStager.WriteTextAsync(copy, row.HolderEmail, ct);
                await ImportStager.WriteTextAsync(copy, row.Series, ct);
            },
            cancellationToken);
}
