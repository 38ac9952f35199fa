using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventSeries.Api.Errors;

/// <summary>
/// Refuses JSON strings holding a NUL character (<c>\u0000</c>): PostgreSQL text cannot store it, and
/// no name, NFC UID or e-mail legitimately contains one, so it is a malformed request (400), never
/// a database error later.
/// </summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal)
            ? throw new JsonInputException("Text may not contain NUL characters (\\u0000).")
            : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
