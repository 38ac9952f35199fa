namespace EventSeries.Api.Imports;

/// <summary>Checks of fields that wristband and ticket files share (the holder, the series), with the reasons rows get.</summary>
public static class ImportFieldRules
{
    /// <summary>The reason the holder or series fields are refused, or null when they are fine.</summary>
    public static string? HolderAndSeries(string? holderName, string? holderEmail, string? series) =>
        holderName is { Length: > 200 } ? "holder_name is longer than 200 characters"
        : holderName is not null && holderName.Contains('\0', StringComparison.Ordinal) ? "holder_name contains a NUL character"
        : holderEmail is not null && (holderEmail.Length > 320 || holderEmail.Contains('\0', StringComparison.Ordinal) || !System.Net.Mail.MailAddress.TryCreate(holderEmail, out _)) ? "holder_email is not an e-mail address"
        : series is { Length: > 2000 } ? "series is longer than 2000 characters"
        : series is not null && series.Contains('\0', StringComparison.Ordinal) ? "series contains a NUL character"
        : null;

    /// <summary>A field trimmed, or null when empty: an empty field keeps what is stored.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A rejected value quoted back, kept short (a hostile file's cell could be megabytes).</summary>
    public static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
