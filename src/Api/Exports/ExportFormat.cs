namespace EventSeries.Api.Exports;

/// <summary>The file formats an export is written in.</summary>
internal enum ExportFormat
{
    /// <summary>RFC 4180 CSV in UTF-8 with a header row (<c>text/csv</c>).</summary>
    Csv,

    /// <summary>One JSON object per line (<c>application/x-ndjson</c>).</summary>
    Ndjson,
}

internal static class ExportFormats
{
    public const string CsvType = "text/csv; charset=utf-8";

    public const string NdjsonType = "application/x-ndjson";

    /// <summary><c>format=csv|ndjson</c>, or else the Accept header's choice; anything else is a 400.</summary>
    public static ExportFormat Parse(string? format, HttpRequest request)
    {
        var named = format?.ToLowerInvariant() ?? FromAccept(request.Headers.Accept.ToString());
        return named switch
        {
            "csv" => ExportFormat.Csv,
            "ndjson" => ExportFormat.Ndjson,
            _ => throw DomainException.Invalid("format", "Must be csv or ndjson (or send Accept: text/csv or application/x-ndjson)."),
        };
    }

    public static string ContentType(this ExportFormat format) => format == ExportFormat.Csv ? CsvType : NdjsonType;

    public static string Extension(this ExportFormat format) => format == ExportFormat.Csv ? "csv" : "ndjson";

    private static string? FromAccept(string accept) =>
        accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? "csv"
        : accept.Contains("ndjson", StringComparison.OrdinalIgnoreCase) ? "ndjson"
        : null;
}
