using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text.Json;
using EventSeries.Persistence.Imports;

namespace EventSeries.Api.Imports;

/// <summary>
/// Reads an import file as NDJSON: one JSON object per line, its properties the schema's columns in
/// camel case (<c>nfcId</c>, <c>holderEmail</c>), text or null; <c>series</c> may also be an array
/// (or a string with <c>|</c> between series). A line that is not such an object is rejected with its number.
/// </summary>
public static class ImportNdjsonReader
{
    /// <summary>A line longer than this ends the import (nothing legitimate comes near it).</summary>
    private const int MaxLineBytes = 64 * 1024;

    public static async IAsyncEnumerable<ImportLine<T>> ReadAsync<T>(Stream body, ImportSchema<T> schema, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var names = schema.Columns.Select((c, i) => (Name: ImportColumns.JsonName(c), Index: i)).ToDictionary(c => c.Name, c => c.Index, StringComparer.Ordinal);
        var list = schema.Columns.ToList().IndexOf(ImportColumns.ListColumn);
        var pipe = PipeReader.Create(body, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        long line = 0;
        try
        {
            while (true)
            {
                var read = await pipe.ReadAsync(cancellationToken);
                var buffer = read.Buffer;
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    line++;
                    var parsed = ParseLine(buffer.Slice(0, end), line, schema, names, list);
                    if (parsed is { } value)
                    {
                        yield return value;
                    }

                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }

                if (buffer.Length > MaxLineBytes)
                {
                    throw new ImportFileException($"Line {line + 1} is longer than {MaxLineBytes / 1024} KiB.");
                }

                if (read.IsCompleted)
                {
                    if (buffer.Length > 0 && ParseLine(buffer, ++line, schema, names, list) is { } last)
                    {
                        yield return last;
                    }

                    yield break;
                }

                pipe.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            await pipe.CompleteAsync();
        }
    }

    private static ImportLine<T>? ParseLine<T>(ReadOnlySequence<byte> bytes, long line, ImportSchema<T> schema, Dictionary<string, int> names, int list)
        where T : class
    {
        if (IsBlank(bytes))
        {
            return null; // an empty line (a trailing newline, a blank line between records)
        }

        var reader = new Utf8JsonReader(bytes);
        var fields = new string?[schema.Columns.Count];
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return ImportLine<T>.Rejected(line, "not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!names.TryGetValue(name, out var index))
                {
                    reader.Skip();
                }
                else
                {
                    fields[index] = index == list ? ListText(ref reader) : Text(ref reader);
                }
            }

            if (reader.Read())
            {
                return ImportLine<T>.Rejected(line, "more than one JSON value on the line");
            }
        }
        catch (JsonException e)
        {
            return ImportLine<T>.Rejected(line, $"not valid JSON ({e.Message.Split('.')[0]})");
        }
        catch (InvalidOperationException)
        {
            return ImportLine<T>.Rejected(line, "a field has the wrong type (text expected)");
        }

        return schema.Check(line, fields);
    }

    private static bool IsBlank(ReadOnlySequence<byte> bytes)
    {
        foreach (var segment in bytes)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetString();

    private static string? ListText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return Text(ref reader);
        }

        var names = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            names.Add(reader.GetString() ?? "");
        }

        return string.Join('|', names);
    }
}
