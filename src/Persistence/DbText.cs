namespace EventSeries.Persistence;

/// <summary>
/// Enums are stored as lowercase text (readable in SQL, stable if members are reordered); this is
/// the one place that converts them both ways.
/// </summary>
public static class DbText
{
    /// <summary>The stored form of an enum value, e.g. <c>Scheduled</c> becomes <c>scheduled</c>.</summary>
    public static string ToDb<TEnum>(this TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    /// <summary>Parses a stored value back into its enum.</summary>
    public static TEnum FromDb<TEnum>(string value)
        where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"'{value}' is not a stored {typeof(TEnum).Name}.");

    /// <summary>A UTC timestamp from a <c>timestamptz</c> column (Npgsql reads them as UTC DateTime).</summary>
    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>A nullable UTC timestamp from a <c>timestamptz</c> column.</summary>
    public static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
