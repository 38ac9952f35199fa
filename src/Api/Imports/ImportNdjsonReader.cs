using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Buffers;
using System.Text.Json;
using EventSeries.Persistence.Imports;

namespace EventSeries.Api.Imports;

/// <summary>
/// Reads wristbands as NDJSON: one JSON object per line (<c>nfcId</c>, <c>category</c>, and
/// optionally <c>status</c>, <c>holderName</c>, <c>holderEmail</c>, <c>series</c>: a string with
/// <c>|</c> between series, or an array). A line that is not such an object is rejected with its number.
/// </summary>
public static class WristbandNdjsonReader
{
    /// <summary>A line longer than this ends the import (nothing legitimate comes near it).</summary>
    private const int MaxLineBytes = 64 * 1024;

    public static async IAsyncEnumerable<ImportLine<WristbandImportRow>> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
                    var parsed = ParseLine(buffer.Slice(0, end), line);
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
                    if (buffer.Length > 0 && ParseLine(buffer, ++line) is { } last)
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

    private static ImportLine<WristbandImportRow>? ParseLine(ReadOnlySequence<byte> bytes, long line)
    {
        if (IsBlank(bytes))
        {
            return null; // an empty line (a trailing newline, a blank line between records)
        }

        var reader = new Utf8JsonReader(bytes);
        string? nfcId = null, category = null, status = null, holderName = null, holderEmail = null, series = null;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return ImportLine<WristbandImportRow>.Rejected(line, "not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "nfcId": nfcId = Text(ref reader); break;
                    case "category": category = Text(ref reader); break;
                    case "status": status = Text(ref reader); break;
                    case "holderName": holderName = Text(ref reader); break;
                    case "holderEmail": holderEmail = Text(ref reader); break;
                    case "series": series = SeriesText(ref reader); break;
                    default: reader.Skip(); break;
                }
            }

            if (reader.Read())
            {
                return ImportLine<WristbandImportRow>.Rejected(line, "more than one JSON value on the line");
            }
        }
        catch (JsonException e)
        {
            return ImportLine<WristbandImportRow>.Rejected(line, $"not valid JSON ({e.Message.Split('.')[0]})");
        }
        catch (InvalidOperationException)
        {
            return ImportLine<WristbandImportRow>.Rejected(line, "a field has the wrong type (text expected)");
        }

        return WristbandRowRules.Check(line, nfcId, category, status, holderName, holderEmail, series);
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

    private static string? SeriesText(ref Utf8JsonReader reader)
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
