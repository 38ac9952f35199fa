using NpgsqlTypes;

namespace EventSeries.Persistence.Imports;

/// <summary>
/// Brings a ticket file in as the wristband import does (<see cref="ImportStager"/>, then one merge,
/// <see cref="StagedTickets.MergeAsync"/>). No ticket grain is called: they read their row on every
/// call. Bands paired to a ticket whose status changed learn it from the event's <c>wristbands_version</c>.
/// </summary>
public sealed class TicketImporter(ImportStager stager, DomainTime time)
{
    /// <summary>Stages the file; the caller owns the result and must dispose it (which rolls back unless merged).</summary>
    public Task<StagedTickets> ReceiveAsync(
        ImportJobView job, IAsyncEnumerable<ImportLine<TicketImportRow>> lines, long maxRows, CancellationToken cancellationToken) =>
        stager.ReceiveAsync(
            job, lines, maxRows,
            "external_id text NOT NULL, source text NOT NULL, ticket_type text NOT NULL, status text NULL, holder_name text NULL, holder_email text NULL, series text NULL",
            (connection, tx) => new StagedTickets(connection, tx, job, time),
            async (copy, row, ct) =>
            {
                await copy.WriteAsync(row.ExternalId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.Source, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(row.TicketType, NpgsqlDbType.Text, ct);
                await ImportStager.WriteTextAsync(copy, row.Status, ct);
                await ImportStager.WriteTextAsync(copy, row.HolderName, ct);
                await ImportStager.WriteTextAsync(copy, row.HolderEmail, ct);
                await ImportStager.WriteTextAsync(copy, row.Series, ct);
            },
            cancellationToken);
}
