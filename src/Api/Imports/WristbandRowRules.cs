using EventSeries.Domain.Validation;
using EventSeries.Persistence.Imports;

namespace EventSeries.Api.Imports;

/// <summary>
/// The checks one row of a wristband file gets as it is read, the same rules as registering
/// wristbands through JSON: what needs the database (the category exists, the series exist, a UID
/// twice) is checked on the staged rows as sets.
/// </summary>
public static class WristbandRowRules
{
    private static readonly HashSet<string> Statuses = ["active", "inactive", "lost", "stolen", "revoked"];

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
            : holderName is { Length: > 200 } ? "holder_name is longer than 200 characters"
            : holderName is not null && holderName.Contains('\0', StringComparison.Ordinal) ? "holder_name contains a NUL character"
            : holderEmail is not null && (holderEmail.Length > 320 || holderEmail.Contains('\0', StringComparison.Ordinal) || !System.Net.Mail.MailAddress.TryCreate(holderEmail, out _)) ? "holder_email is not an e-mail address"
            : series is { Length: > 2000 } ? "series is longer than 2000 characters"
            : series is not null && series.Contains('\0', StringComparison.Ordinal) ? "series contains a NUL character"
            : null;
        return reason is null
            ? ImportLine<WristbandImportRow>.Valid(new WristbandImportRow(line, nfcId!, category!, status, holderName, holderEmail, series))
            : ImportLine<WristbandImportRow>.Rejected(line, reason);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A rejected value quoted back, kept short (a hostile file's cell could be megabytes).</summary>
    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
