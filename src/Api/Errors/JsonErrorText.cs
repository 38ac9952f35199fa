using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace EventSeries.Api.Errors;

/// <summary>
/// Explains a body the JSON reader refused in the client's terms: the JSON path and the kind of
/// value expected there ("$.capacity: expected a whole number"). System.Text.Json's own messages
/// name .NET types ("could not be converted to System.Nullable`1[System.Int32]", "could not be
/// mapped to any .NET member contained in type 'EventSeries...'"), which tell an attacker about the
/// implementation and a client nothing; so the expected kind is worked out from the request type.
/// </summary>
internal static partial class JsonErrorText
{
    public static string Describe(JsonException json, Type? bodyType, JsonSerializerOptions options)
    {
        var path = json.Path ?? "$";

        // Syntax errors come from the reader (an inner JsonException) and speak JSON only: keep them.
        if (json.InnerException is JsonException syntax)
        {
            return Safe($"The body is not valid JSON at {path}: {WithoutLocation(syntax.Message)}");
        }

        // Our own refusals (e.g. NUL in text) are written for clients already.
        if (json is JsonInputException)
        {
            return Safe($"{path}: {WithoutLocation(json.Message)}");
        }

        return (bodyType is null ? null : Resolve(bodyType, path, options)) switch
        {
            { Unknown: true } => $"{path}: not a field of this request; leave it out.",
            { Type: { } type } => $"{path}: expected {Kind(type, options)}.",
            _ => $"{path}: not a valid value here.",
        };
    }

    /// <summary>Last line of defence: a message that still names a .NET type is replaced by a generic one.</summary>
    public static string Safe(string message) => DotNetTypeName().IsMatch(message) ? "The request could not be read." : message;

    /// <summary>The type expected at <paramref name="path"/>, or that its last member is unknown; null if the path cannot be followed.</summary>
    private static (Type? Type, bool Unknown)? Resolve(Type bodyType, string path, JsonSerializerOptions options)
    {
        var info = options.GetTypeInfo(bodyType);
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (segment.Groups["index"].Success)
            {
                if (info.ElementType is null)
                {
                    return null;
                }

                info = options.GetTypeInfo(info.ElementType);
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            if (info.Kind == JsonTypeInfoKind.Dictionary && info.ElementType is { } valueType)
            {
                info = options.GetTypeInfo(valueType);
                continue;
            }

            var property = info.Kind == JsonTypeInfoKind.Object
                ? info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                : null;
            if (property is null)
            {
                return info.Kind == JsonTypeInfoKind.Object ? (null, true) : null;
            }

            info = options.GetTypeInfo(property.PropertyType);
        }

        return (info.Type, false);
    }

    private static string Kind(Type type, JsonSerializerOptions options)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            // Enums travel by camelCase name only (ApiHostingExtensions.ConfigureJson).
            return $"a string, one of: {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))}";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Int32 => "a whole number (at most 2147483647)",
            TypeCode.Int16 or TypeCode.Int64 or TypeCode.Byte or TypeCode.SByte or TypeCode.UInt16 or TypeCode.UInt32 or TypeCode.UInt64 => "a whole number",
            TypeCode.Decimal or TypeCode.Double or TypeCode.Single => "a number",
            TypeCode.Boolean => "a boolean (true or false)",
            TypeCode.String or TypeCode.Char => "a string",
            TypeCode.DateTime => "a string holding an ISO 8601 date and time, such as 2027-07-01T18:00:00+02:00",
            _ when type == typeof(DateTimeOffset) => "a string holding an ISO 8601 date and time, such as 2027-07-01T18:00:00+02:00",
            _ when type == typeof(DateOnly) => "a string holding a date, such as 2027-07-01",
            _ when type == typeof(Guid) => "a string holding a UUID, such as 0b6d1a8e-3c4f-4e8a-9a55-2f1d7c0e9b41",
            _ => options.GetTypeInfo(type).Kind switch
            {
                JsonTypeInfoKind.Enumerable => "an array",
                JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
                _ => "a string",
            },
        };
    }

    // The serializer appends " Path: $.x | LineNumber: 0 | BytePositionInLine: 12." to messages.
    private static string WithoutLocation(string message)
    {
        var at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        at = at >= 0 ? at : message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        return at >= 0 ? message[..at] : message;
    }

    // "$.a.b[0]['odd name']": a name, a quoted name or an index per segment.
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();

    [GeneratedRegex(@"\b(System|Microsoft|EventSeries|Orleans)\.[A-Za-z]")]
    private static partial Regex DotNetTypeName();
}

/// <summary>A refusal by one of our JSON converters, whose message is meant for the client as is.</summary>
public sealed class JsonInputException(string message) : JsonException(message);
