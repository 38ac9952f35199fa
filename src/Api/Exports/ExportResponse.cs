using System.Text.Json;
using EventSeries.Persistence.Exports;

namespace EventSeries.Api.Exports;

/// <summary>
/// An open export as an HTTP response: a file download whose body is written while the rows
/// arrive. Until the first bytes go out a fault is still an ordinary error answer (a database
/// fault a 503 with Retry-After); after that the status is sent, so a fault aborts the connection
/// and the client sees a broken transfer, never a shorter file that looks complete.
/// </summary>
internal static partial class ExportResponse
{
    public static PushStreamHttpResult Stream<T>(
        HttpContext http, Guid seriesId, ExportCursor<T> rows, ExportSchema<T> schema, ExportFormat format, JsonSerializerOptions json)
    {
        // The connection goes back to the pool when the request ends, however it ends.
        http.Response.RegisterForDisposeAsync(rows);
        http.Response.Headers.CacheControl = "no-store";
        var ct = http.RequestAborted;
        return TypedResults.Stream(
            body => WriteAsync(http, schema.Name, format == ExportFormat.Csv
                ? () => ExportWriter.WriteCsvAsync(rows, schema, body, ct)
                : () => ExportWriter.WriteNdjsonAsync(rows, json, body, ct)),
            format.ContentType(),
            $"series-{seriesId}-{schema.Name}.{format.Extension()}");
    }

    private static async Task WriteAsync(HttpContext http, string export, Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (http.Response.HasStarted)
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExportResponse).FullName!);
            if (http.RequestAborted.IsCancellationRequested)
            {
                LogClientLeft(logger, export, http.Request.Path);
            }
            else
            {
                LogAborted(logger, e, export, http.Request.Path);
            }

            // Without the final chunk the client cannot take what it got for the whole file.
            http.Abort();
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Export {Export} ({Path}): the client left before the end.")]
    private static partial void LogClientLeft(ILogger logger, string export, string path);

    [LoggerMessage(2, LogLevel.Warning, "Export {Export} ({Path}) failed after its first bytes were sent; the connection was aborted so the client sees an incomplete transfer.")]
    private static partial void LogAborted(ILogger logger, Exception exception, string export, string path);
}
