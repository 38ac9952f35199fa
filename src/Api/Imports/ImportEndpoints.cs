using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Imports;
using EventSeries.Persistence.Queries;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Imports;

/// <summary>
/// Imports of wristband and ticket files (CSV or NDJSON) at a million rows: the body streams into PostgreSQL
/// while it arrives, the request is answered 202 with the job once the file is in, and the merge
/// runs on; <c>GET /api/imports/{id}</c> shows progress and the result.
/// </summary>
public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/events/{eventId:guid}/wristbands/import", ImportWristbandsAsync).WithTags("Imports").WithName("ImportWristbands")
            .WithSummary("Imports wristbands from a CSV (header nfc_id,category[,status,holder_name,holder_email,series]) or NDJSON file, " +
                "upserting by NFC UID; format=csv|ndjson (or the Content-Type), mode=skip_invalid|all_or_nothing. Answers 202 with the job.")
            .Accepts<string>("text/csv", "application/x-ndjson")
            .Produces<ImportJobView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapPost("/api/events/{eventId:guid}/tickets/import", ImportTicketsAsync).WithTags("Imports").WithName("ImportTickets")
            .WithSummary("Imports tickets from a CSV (header external_id,source,ticket_type[,status,holder_name,holder_email,series]) or NDJSON file, " +
                "upserting by source and external id; format=csv|ndjson (or the Content-Type), mode=skip_invalid|all_or_nothing. Answers 202 with the job.")
            .Accepts<string>("text/csv", "application/x-ndjson")
            .Produces<ImportJobView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        app.MapGet("/api/events/{eventId:guid}/imports", ListAsync).WithTags("Imports").WithName("ListImports")
            .WithSummary("The event's import jobs, newest first, the same views as GET /api/imports/{id}; filter by kind (wristbands|tickets), paged.");
        app.MapGet("/api/imports/{importId:guid}", GetAsync).WithTags("Imports").WithName("GetImport")
            .WithSummary("An import job: receiving, merging, completed or failed, with rows read, created, updated, unchanged, rejected and assigned, and the first 100 rejections by line.");
        return app;
    }

    public static Task<Accepted<ImportJobView>> ImportWristbandsAsync(
        Guid eventId, string? format, string? mode, HttpContext http, ImportJobStore jobs, WristbandImporter importer, ImportRunner runner,
        IOptions<ImportOptions> options, DomainTime time) =>
        ImportAsync(
            new ImportRequest(eventId, format, mode, http, jobs, runner, options.Value, time), ImportKind.Wristbands, Permission.ManageWristbands,
            async (job, body, fileFormat, maxRows, ct) => await importer.ReceiveAsync(job, await ReadAsync(body, fileFormat, WristbandRowRules.Schema, ct), maxRows, ct));

    public static Task<Accepted<ImportJobView>> ImportTicketsAsync(
        Guid eventId, string? format, string? mode, HttpContext http, ImportJobStore jobs, TicketImporter importer, ImportRunner runner,
        IOptions<ImportOptions> options, DomainTime time) =>
        ImportAsync(
            new ImportRequest(eventId, format, mode, http, jobs, runner, options.Value, time), ImportKind.Tickets, Permission.ManageTickets,
            async (job, body, fileFormat, maxRows, ct) => await importer.ReceiveAsync(job, await ReadAsync(body, fileFormat, TicketRowRules.Schema, ct), maxRows, ct));

    /// <summary>
    /// Starts a job (404/403 as the caller may not), stages the streaming body with
    /// <paramref name="receive"/>, answers 202 with the job and leaves the merge to the runner.
    /// </summary>
    private static async Task<Accepted<ImportJobView>> ImportAsync(
        ImportRequest request, ImportKind kind, Permission permission,
        Func<ImportJobView, Stream, ImportFormat, long, CancellationToken, Task<StagedImport>> receive)
    {
        var (eventId, format, mode, http, jobs, runner, limits, time) = request;
        var caller = http.Caller();
        var fileFormat = FormatOf(format, http.Request.ContentType);
        var importMode = ModeOf(mode);
        if (http.Request.ContentLength > limits.MaxBytes)
        {
            throw TooLarge(limits);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limits.MaxBytes;
        }

        var job = await jobs.CreateAsync(caller, eventId, kind, fileFormat, importMode, permission, time.Now());
        StagedImport staged;
        try
        {
            staged = await receive(job, http.Request.Body, fileFormat, limits.MaxRows, http.RequestAborted);
        }
        catch (Exception e)
        {
            var (answer, reason) = e switch
            {
                ImportFileException file => (DomainException.Invalid("file", file.Message), file.Message),
                ImportTooLargeException rows => (new BadHttpRequestException(rows.Message, StatusCodes.Status413PayloadTooLarge), rows.Message),
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (TooLarge(limits), "The file is larger than allowed."),
                _ => (e, "The file could not be received; nothing of it was written."),
            };
            await jobs.FailAsync(job.Id, reason, 0, 0, [], time.Now());
            if (ReferenceEquals(answer, e))
            {
                throw;
            }

            throw answer;
        }

        await jobs.MergingAsync(job.Id, staged.RowsRead, staged.RejectedCount, time.Now());
        runner.Start(staged, caller, importMode);
        return TypedResults.Accepted($"/api/imports/{job.Id}", job with
        {
            Status = ImportStatus.Merging.ToDb(), RowsRead = staged.RowsRead, Rejected = staged.RejectedCount, Rejections = staged.Sorted(),
        });
    }

    private static async Task<IAsyncEnumerable<ImportLine<T>>> ReadAsync<T>(Stream body, ImportFormat format, ImportSchema<T> schema, CancellationToken cancellationToken)
        where T : class =>
        format == ImportFormat.Csv ? await ImportCsvReader.OpenAsync(body, schema, cancellationToken) : ImportNdjsonReader.ReadAsync(body, schema, cancellationToken);

    public static async Task<Ok<Page<ImportJobView>>> ListAsync(
        Guid eventId, string? kind, int? page, int? pageSize, HttpContext http, ImportJobStore jobs, DomainTime time) =>
        TypedResults.Ok(await jobs.ListAsync(http.Caller(), eventId, Paging.ParseEnum<ImportKind>(kind, "kind"), Paging.From(page, pageSize), time.Now()));

    public static async Task<Ok<ImportJobView>> GetAsync(Guid importId, HttpContext http, ImportJobStore jobs, DomainTime time) =>
        TypedResults.Ok(await jobs.GetAsync(http.Caller(), importId, time.Now()));

    private static ImportFormat FormatOf(string? format, string? contentType)
    {
        var named = format?.ToLowerInvariant() ?? (contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
        {
            "text/csv" => "csv",
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/jsonlines" => "ndjson",
            _ => null,
        });
        return named switch
        {
            "csv" => ImportFormat.Csv,
            "ndjson" => ImportFormat.Ndjson,
            null => throw DomainException.Invalid("format", "Say format=csv or format=ndjson (or send Content-Type text/csv or application/x-ndjson)."),
            _ => throw DomainException.Invalid("format", "Must be csv or ndjson."),
        };
    }

    private static ImportMode ModeOf(string? mode) => mode?.ToLowerInvariant() switch
    {
        null or "skip_invalid" => ImportMode.SkipInvalid,
        "all_or_nothing" => ImportMode.AllOrNothing,
        _ => throw DomainException.Invalid("mode", "Must be skip_invalid (the default) or all_or_nothing."),
    };

    private static BadHttpRequestException TooLarge(ImportOptions limits) =>
        new($"The file is larger than {limits.MaxBytes / (1024 * 1024)} MiB; split it.", StatusCodes.Status413PayloadTooLarge);

    /// <summary>What both import endpoints bring to an upload.</summary>
    private sealed record ImportRequest(
        Guid EventId, string? Format, string? Mode, HttpContext Http, ImportJobStore Jobs, ImportRunner Runner, ImportOptions Limits, DomainTime Time);
}
