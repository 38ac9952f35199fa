namespace EventSeries.Persistence.Imports;

/// <summary>
/// One valid row of a wristband file. A null <see cref="Status"/>, <see cref="HolderName"/> or
/// <see cref="HolderEmail"/> keeps what is stored (a new wristband is active); <see cref="Series"/>
/// names the series to assign the wristband to, by id or name, separated by <c>|</c>.
/// </summary>
public sealed record WristbandImportRow(
    long Line, string NfcId, string Category, string? Status, string? HolderName, string? HolderEmail, string? Series) : IImportRow
{
    public string Key => NfcId;
}

/// <summary>A line of the file as read: a valid row, or the reason it was rejected.</summary>
public readonly record struct ImportLine<T>(T? Row, ImportRejection? Rejection)
    where T : class
{
    public static ImportLine<T> Valid(T row) => new(row, null);

    public static ImportLine<T> Rejected(long line, string reason) => new(null, new ImportRejection(line, reason));
}
