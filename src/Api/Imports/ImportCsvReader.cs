using System.Runtime.CompilerServices;
using CsvHelper;
using EventSeries.Persistence.Imports;

namespace EventSeries.Api.Imports;

/// <summary>
/// Reads a wristband CSV (RFC 4180, comma separated, UTF-8, a header row) as it streams in. Header
/// names match ignoring case and underscores: <c>nfc_id</c> or <c>nfcId</c>, <c>category</c>, and
/// optionally <c>status</c>, <c>holder_name</c>, <c>holder_email</c>, <c>series</c>.
/// </summary>
public static class WristbandCsvReader
{
    /// <summary>A record longer than this (an unclosed quote, a hostile file) ends the import.</summary>
    private const int MaxRecordBytes = 64 * 1024;

    public static async Task<IAsyncEnumerable<ImportLine<WristbandImportRow>>> OpenAsync(Stream body, CancellationToken cancellationToken)
    {
        var reader = CsvReader.Create(body, CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            MaxRecordSize = MaxRecordBytes,
            NormalizeHeaderName = name => name.Replace("_", "", StringComparison.Ordinal),
        }, leaveOpen: true);
        try
        {
            await reader.ReadHeaderAsync(cancellationToken);
            var nfcId = Index(reader, "nfcid");
            var category = Index(reader, "category");
            if (nfcId < 0 || category < 0)
            {
                throw new ImportFileException("The CSV header must name the columns nfc_id and category (and optionally status, holder_name, holder_email, series).");
            }

            return Rows(reader, nfcId, category, Index(reader, "status"), Index(reader, "holdername"), Index(reader, "holderemail"), Index(reader, "series"), cancellationToken);
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

    private static int Index(CsvReader reader, string name) => reader.TryGetFieldIndex(name, out var index) ? index : -1;

    private static async IAsyncEnumerable<ImportLine<WristbandImportRow>> Rows(
        CsvReader reader, int nfcId, int category, int status, int holderName, int holderEmail, int series, [EnumeratorCancellation] CancellationToken cancellationToken)
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

                yield return WristbandRowRules.Check(
                    reader.LineNumber, Field(reader, nfcId), Field(reader, category), Field(reader, status),
                    Field(reader, holderName), Field(reader, holderEmail), Field(reader, series));
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
