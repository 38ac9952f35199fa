using EventSeries.Persistence.Imports;

namespace EventSeries.Api.Imports;

/// <summary>
/// The columns of one kind of import file, in snake case as CSV headers name them (NDJSON names them
/// in camel case), the first <see cref="Required"/> of them required, and the check of one row's
/// fields (given in the order of <see cref="Columns"/>, null where absent).
/// </summary>
public sealed record ImportSchema<T>(IReadOnlyList<string> Columns, int Required, Func<long, string?[], ImportLine<T>> Check)
    where T : class
{
    /// <summary>What the CSV header must name, for the problem a file without it gets.</summary>
    public string HeaderHint
    {
        get
        {
            var required = Columns.Take(Required).ToList();
            var names = required.Count == 1 ? required[0] : string.Join(", ", required.SkipLast(1)) + " and " + required[^1];
            return $"The CSV header must name the columns {names} (and optionally {string.Join(", ", Columns.Skip(Required))}).";
        }
    }
}

/// <summary>How import columns are named in each format.</summary>
public static class ImportColumns
{
    /// <summary>The column whose NDJSON value may also be an array of strings (joined with <c>|</c>).</summary>
    public const string ListColumn = "series";

    /// <summary>A CSV header name as matched: without underscores, in lower case (so <c>nfc_id</c>, <c>nfcId</c> and <c>NFC_ID</c> match).</summary>
    public static string CsvKey(string name) => name.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();

    /// <summary>The NDJSON property name of a column: <c>holder_email</c> is <c>holderEmail</c>.</summary>
    public static string JsonName(string column)
    {
        var parts = column.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
