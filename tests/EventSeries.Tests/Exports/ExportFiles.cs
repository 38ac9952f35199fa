using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using CsvHelper;
using EventSeries.CheckIns;
using EventSeries.Persistence.Exports;
using EventSeries.Persistence.Queries;

namespace EventSeries.Tests.Exports;

/// <summary>Downloads an export and reads it back the way a consumer would: CSV with a CSV reader, NDJSON line by line.</summary>
public static class ExportFiles
{
    /// <summary>The body of a 200 export, after checking its content type and download name.</summary>
    public static async Task<string> DownloadAsync(ApiClient client, string url, string mediaType, string fileName)
    {
        using var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        return text;
    }

    /// <summary>Every record of a CSV text, header first, through CsvHelper's reader (RFC 4180 quoting undone).</summary>
    public static async Task<List<string[]>> ReadCsvAsync(string text)
    {
        var records = new List<string[]>();
        await using var reader = CsvReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(text)), CsvReaderOptions.Default with { Separator = ',', HasHeader = false });
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            records.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetString(i))]);
        }

        return records;
    }

    /// <summary>Each line of an NDJSON text as <typeparamref name="T"/>; the text must end with a newline.</summary>
    public static List<T> ReadNdjson<T>(string text)
    {
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "NDJSON must end each line with LF");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonSerializer.Deserialize<T>(line, ApiClient.Json)!)];
    }

    /// <summary>A check-in export's CSV record as the list's entry (empty fields are nulls).</summary>
    public static CheckinLogEntry ToCheckin(string[] f) => new(
        Guid.Parse(f[0]), NullableGuid(f[1]), NullableGuid(f[2]), f[3], Null(f[4]), Guid.Parse(f[5]), Enum.Parse<ScanDirection>(f[6], true),
        Enum.Parse<CheckinResult>(f[7], true), f[8], Null(f[9]), f[10], NullableGuid(f[11]), Null(f[12]) is { } s ? Time(s) : null, Time(f[13]),
        NullableGuid(f[14]), NullableGuid(f[15]));

    /// <summary>A metrics export's CSV record.</summary>
    public static MetricsExportRow ToMetrics(string[] f) => new(
        Time(f[0]), Guid.Parse(f[1]), Null(f[2]), Null(f[3]), long.Parse(f[4], CultureInfo.InvariantCulture), long.Parse(f[5], CultureInfo.InvariantCulture),
        long.Parse(f[6], CultureInfo.InvariantCulture), long.Parse(f[7], CultureInfo.InvariantCulture), long.Parse(f[8], CultureInfo.InvariantCulture),
        long.Parse(f[9], CultureInfo.InvariantCulture), long.Parse(f[10], CultureInfo.InvariantCulture));

    private static DateTimeOffset Time(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string? Null(string s) => s.Length == 0 ? null : s;

    private static Guid? NullableGuid(string s) => s.Length == 0 ? null : Guid.Parse(s);
}
