using CsvHelper;

namespace EventSeries.Api.Exports;

/// <summary>
/// How rows of one export become CSV: the header and each row's fields, in the same order. NDJSON
/// needs no schema: a row is serialized with the API's JSON options, exactly as the JSON endpoints
/// write the same type.
/// </summary>
/// <param name="Name">The file name's part after the series id (<c>checkins</c>, <c>metrics</c>).</param>
/// <param name="Header">The CSV column names.</param>
/// <param name="WriteCsv">Writes one row's fields (the writer ends the record).</param>
internal sealed record ExportSchema<T>(string Name, string[] Header, Action<CsvWriter, T> WriteCsv);
