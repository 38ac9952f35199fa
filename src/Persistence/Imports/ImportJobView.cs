using System.Text.Json.Serialization;

namespace EventSeries.Persistence.Imports;

/// <summary>What an import brings in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImportKind>))]
public enum ImportKind
{
    Wristbands,
    Tickets,
}

/// <summary>The file's format: CSV with a header row, or one JSON object per line.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImportFormat>))]
public enum ImportFormat
{
    Csv,
    Ndjson,
}

/// <summary>
/// What a malformed row does: <see cref="SkipInvalid"/> reports it and imports the valid rows;
/// <see cref="AllOrNothing"/> writes nothing when any row is rejected.
/// </summary>
public enum ImportMode
{
    SkipInvalid,
    AllOrNothing,
}

/// <summary>Where an import is: receiving the file, merging it, or finished either way.</summary>
public enum ImportStatus
{
    Receiving,
    Merging,
    Completed,
    Failed,
}

/// <summary>A rejected row: its line in the file and why.</summary>
public sealed record ImportRejection(long Line, string Reason);

/// <summary>An import job as <c>GET /api/imports/{id}</c> shows it.</summary>
public sealed record ImportJobView(
    Guid Id,
    Guid OrganizationId,
    Guid EventId,
    string Kind,
    string Format,
    string Mode,
    string Status,
    long RowsRead,
    long Created,
    long Updated,
    long Unchanged,
    long Rejected,
    long Assigned,
    IReadOnlyList<ImportRejection> Rejections,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt);

/// <summary>Counts an import's merge ends with.</summary>
public sealed record ImportCounts(long RowsRead, long Created, long Updated, long Unchanged, long Rejected, long Assigned);

/// <summary>Text forms of the enums as stored and shown (snake case).</summary>
public static class ImportText
{
    public static string ToDb(this ImportKind kind) => kind == ImportKind.Wristbands ? "wristbands" : "tickets";

    public static string ToDb(this ImportFormat format) => format == ImportFormat.Csv ? "csv" : "ndjson";

    public static string ToDb(this ImportMode mode) => mode == ImportMode.SkipInvalid ? "skip_invalid" : "all_or_nothing";

    public static string ToDb(this ImportStatus status) => status.ToString().ToLowerInvariant();
}
