using EventSeries.Domain.Validation;
using EventSeries.Persistence.Imports;
using static EventSeries.Api.Imports.ImportFieldRules;

namespace EventSeries.Api.Imports;

/// <summary>
/// The checks one row of a wristband file gets as it is read, the same rules as registering
/// wristbands through JSON: what needs the database (the category exists, the series exist, a UID
/// twice) is checked on the staged rows as sets.
/// </summary>
public static class WristbandRowRules
{
    private static readonly HashSet<string> Statuses = ["active", "inactive", "lost", "stolen", "revoked"];

    /// <summary>The columns of a wristband file: <c>nfc_id</c> and <c>category</c> required.</summary>
    public static readonly ImportSchema<WristbandImportRow> Schema = new(
        ["nfc_id", "category", "status", "holder_name", "holder_email", "series"], 2,
        (line, f) => Check(line, f[0], f[1], f[2], f[3], f[4], f[5]));

    public static ImportLine<WristbandImportRow> Check(
        long line, string? nfcId, string? category, string? status, string? holderName, string? holderEmail, string? series)
    {
        nfcId = Blank(nfcId);
        category = Blank(category);
        status = Blank(status)?.ToLowerInvariant();
        holderName = Blank(holderName);
        holderEmail = Blank(holderEmail);
        series = Blank(series);
        var reason = nfcId is null ? "nfc_id is missing"
            : !EventValidation.NfcId().IsMatch(nfcId) ? "nfc_id must be 1-64 printable ASCII characters without spaces"
            : category is null ? "category is missing"
            : !EventValidation.CategoryName().IsMatch(category) ? $"'{Clip(category)}' is not a category name"
            : status is not null && !Statuses.Contains(status) ? $"status '{Clip(status)}' is not one of active, inactive, lost, stolen, revoked"
            : HolderAndSeries(holderName, holderEmail, series);
        return reason is null
            ? ImportLine<WristbandImportRow>.Valid(new WristbandImportRow(line, nfcId!, category!, status, holderName, holderEmail, series))
            : ImportLine<WristbandImportRow>.Rejected(line, reason);
    }
}
