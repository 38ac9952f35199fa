using System.Runtime.CompilerServices;
using CsvHelper;
using EventSeries.Persistence.Imports;

namespace EventSeries.Api.Imports;

/// <summary>
/// Reads an import CSV (RFC 4180, comma separated, UTF-8, a header row) as it streams in. Header
/// names match ignoring case and underscores (<c>nfc_id</c> or <c>nfcId</c>); which columns there are
/// and how a row is checked is the <see cref="ImportSchema{T}"/>'s.
/// </summary>
public static class ImportCsvReader
{
    /// <summary>A record longer than this (an unclosed quote, a hostile file) ends the import.</summary>
    private const int MaxRecordBytes = 64 * 1024;

    public static async Task<IAsyncEnumerable<ImportLine<T>>> OpenAsync<T>(Stream body, ImportSchema<T> schema, CancellationToken cancellationToken)
        where T : class
    {
        var reader = CsvReader.Create(body, CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            MaxRecordSize = MaxRecordBytes,
            NormalizeHeaderName = ImportColumns.CsvKey,
        }, leaveOpen: true);
        try
        {
            await reader.ReadHeaderAsync(cancellationToken);
            var indexes = schema.Columns.Select(c => reader.TryGetFieldIndex(ImportColumns.CsvKey(c), out var index) ? index : -1).ToArray();
            if (indexes.Take(schema.Required).Any(i => i < 0))
            {
                throw new ImportFileException(schema.HeaderHint);
            }

            return Rows(reader, schema, indexes, cancellationToken);
        }
        catch (CsvFormatException e)
        {
            await reader.DisposeAsync();
            throw new ImportFileException($"The CSV header could not be read: {e.Message}");
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    private static async IAsyncEnumerable<ImportLine<T>> Rows<T>(
        CsvReader reader, ImportSchema<T> schema, int[] indexes, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        await using (reader)
        {
            while (true)
            {
                try
                {
                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        yield break;
                    }
                }
                catch (CsvFormatException e)
                {
                    throw new ImportFileException($"The CSV could not be read past line {LineOf(reader)}: {e.Message}");
                }

                var fields = new string?[indexes.Length];
                for (var i = 0; i < indexes.Length; i++)
                {
                    fields[i] = Field(reader, indexes[i]);
                }

                yield return schema.Check(reader.LineNumber, fields);
            }
        }
    }

    private static long LineOf(CsvReader reader)
    {
        try
        {
            return reader.LineNumber;
        }
        catch (InvalidOperationException)
        {
            return 0;
        }
    }

    private static string? Field(CsvReader reader, int index) => index >= 0 && index < reader.FieldCount ? reader.GetString(index) : null;
}

/// <summary>A file that cannot be read at all (no header, broken quoting past the limit): a 400, nothing imported.</summary>
public sealed class ImportFileException(string message) : Exception(message);
