using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CsvHelper;
using EventSeries.Persistence.Exports;

namespace EventSeries.Api.Exports;

/// <summary>
/// Writes an export's rows to the response body as they come from PostgreSQL, through a buffer of
/// about 64 KiB: memory stays the same for ten rows or ten million. Writes are asynchronous only
/// (Kestrel refuses synchronous ones), and a slow client slows the query, never fills memory.
/// </summary>
internal static class ExportWriter
{
    private const int FlushBytes = 64 * 1024;

    private static readonly CsvWriterOptions Csv = CsvWriterOptions.Default with { Injection = CsvInjection.Escape };

    /// <summary>RFC 4180 CSV (CRLF, quoted when needed), UTF-8 without a byte order mark, a header row first.</summary>
    public static async Task WriteCsvAsync<T>(ExportCursor<T> rows, ExportSchema<T> schema, Stream body, CancellationToken cancellationToken)
    {
        // Not disposed on a fault: disposing flushes, and a fault before the first flush must
        // leave the response unstarted so it can still be answered 503.
        var csv = CsvWriter.Create(body, Csv, leaveOpen: true);
        csv.WriteHeader(schema.Header);
        await foreach (var row in rows.ReadAllAsync(cancellationToken))
        {
            schema.WriteCsv(csv, row);
            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
        await csv.DisposeAsync();
    }

    /// <summary>One JSON object per line (LF), each as the JSON endpoints write the same type.</summary>
    public static async Task WriteNdjsonAsync<T>(ExportCursor<T> rows, JsonSerializerOptions options, Stream body, CancellationToken cancellationToken)
    {
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var buffer = new ArrayBufferWriter<byte>(FlushBytes + 4096);
        await using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder });
        await foreach (var row in rows.ReadAllAsync(cancellationToken))
        {
            JsonSerializer.Serialize(json, row, typeInfo);
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
            if (buffer.WrittenCount >= FlushBytes)
            {
                await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
            }
        }

        await body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await body.FlushAsync(cancellationToken);
    }
}
