using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Queries;
using EventSeries.Series;

namespace EventSeries.Api.Endpoints;

/// <summary>What is assigned to a series: gates, category limits and wristbands.</summary>
public static class SeriesAssignmentEndpoints
{
    public static IEndpointRouteBuilder MapSeriesAssignmentEndpoints(this IEndpointRouteBuilder app)
    {
        // A series that has ended refuses every change (409).
        var group = app.MapGroup("/api/series/{seriesId:guid}").WithTags("Series assignments")
            .ProducesProblemOnWrites(StatusCodes.Status409Conflict);
        group.MapGet("/gates", ListGatesAsync).WithName("ListSeriesGates").WithSummary("Gates assigned to the series.");
        group.MapPost("/gates", AssignGatesAsync).WithName("AssignSeriesGates").WithSummary("Assigns gates of the series' event.");
        group.MapDelete("/gates/{gateId:guid}", RemoveGateAsync).WithName("RemoveSeriesGate").WithSummary("Removes a gate from the series.");
        group.MapGet("/categories", ListCategoriesAsync).WithName("ListSeriesCategories").WithSummary("Category limits and assigned counts.");
        group.MapPost("/categories", SetLimitsAsync).WithName("SetSeriesCategoryLimits")
            .WithSummary("Sets category limits; a limit below the number already assigned is refused (409).");
        group.MapGet("/wristbands", ListWristbandsAsync).WithName("ListSeriesWristbands").WithSummary("Assigned wristbands, by NFC UID, paged.");
        group.MapPost("/wristbands", AssignWristbandAsync).WithName("AssignSeriesWristband")
            .WithSummary("Assigns one wristband by id or NFC UID; refused (409) beyond its category's limit.");
        group.MapPost("/wristbands/bulk", BulkAssignAsync).WithName("BulkAssignSeriesWristbands")
            .WithSummary("Assigns up to 10,000 wristbands, all or nothing, within category limits.");
        group.MapPost("/wristbands/assign-all", AssignAllAsync).WithName("AssignAllSeriesWristbands")
            .WithSummary("Assigns every wristband of the event of a category, of an import (the wristbands it created or changed), both, or all, " +
                "in one request without listing UIDs; all or nothing within category limits.");
        group.MapDelete("/wristbands/{wristbandId:guid}", UnassignWristbandAsync).WithName("UnassignSeriesWristband")
            .WithSummary("Removes a wristband from the series.");
        return app;
    }

    public static async Task<Ok<AssignmentResult>> AssignAllAsync(Guid seriesId, AssignAllRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).AssignInBulkAsync(http.Caller(), new BulkAssignment(request.Category, request.ImportId)));

    public static async Task<Ok<ImmutableArray<Guid>>> ListGatesAsync(Guid seriesId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok((await grains.GetGrain<ISeriesGrain>(seriesId).GetAsync(http.Caller())).GateIds);

    public static async Task<Ok<ImmutableArray<Guid>>> AssignGatesAsync(Guid seriesId, AssignGatesRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).AssignGatesAsync(http.Caller(), [.. Required.Object(request.GateIds, "gateIds")]));

    public static async Task<NoContent> RemoveGateAsync(Guid seriesId, Guid gateId, HttpContext http, IGrainFactory grains)
    {
        await grains.GetGrain<ISeriesGrain>(seriesId).RemoveGateAsync(http.Caller(), gateId);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<ImmutableArray<CategoryLimitView>>> ListCategoriesAsync(Guid seriesId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).GetCategoriesAsync(http.Caller()));

    public static async Task<Ok<ImmutableArray<CategoryLimitView>>> SetLimitsAsync(Guid seriesId, SetCategoryLimitsRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId)
            .SetCategoryLimitsAsync(http.Caller(), CategoryLimitRequest.ToLimits(Required.Object(request.Limits, "limits"))));

    public static async Task<Ok<Page<AssignedWristband>>> ListWristbandsAsync(
        Guid seriesId, string? category, int? page, int? pageSize, HttpContext http, ReadQueries queries) =>
        TypedResults.Ok(await queries.ListAssignedWristbandsAsync(http.Caller(), seriesId, category, Paging.From(page, pageSize)));

    public static async Task<Ok<AssignmentResult>> AssignWristbandAsync(Guid seriesId, AssignWristbandRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).AssignWristbandsAsync(http.Caller(), request.ToAssignment()));

    public static async Task<Ok<AssignmentResult>> BulkAssignAsync(Guid seriesId, BulkAssignWristbandsRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ISeriesGrain>(seriesId).AssignWristbandsAsync(http.Caller(), request.ToAssignment()));

    public static async Task<NoContent> UnassignWristbandAsync(Guid seriesId, Guid wristbandId, HttpContext http, IGrainFactory grains)
    {
        await grains.GetGrain<ISeriesGrain>(seriesId).UnassignWristbandAsync(http.Caller(), wristbandId);
        return TypedResults.NoContent();
    }
}
