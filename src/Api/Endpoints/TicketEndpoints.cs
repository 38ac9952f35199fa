using EventSeries.Api.Auth;
using EventSeries.Api.Contracts;
using EventSeries.Persistence.Queries;
using EventSeries.Tickets;

namespace EventSeries.Api.Endpoints;

/// <summary>Tickets: created per event, listed, edited, voided or refunded, and exchanged for wristbands at the box office.</summary>
public static class TicketEndpoints
{
    public static IEndpointRouteBuilder MapTicketEndpoints(this IEndpointRouteBuilder app)
    {
        var perEvent = app.MapGroup("/api/events/{eventId:guid}/tickets").WithTags("Tickets");
        perEvent.MapGet("/", ListAsync).WithName("ListTickets")
            .WithSummary("The event's tickets by source and external id; filter by status, seriesId and holder (part of the name or e-mail; not for viewers), paged.");
        perEvent.MapPost("/", CreateAsync).WithName("CreateTicket")
            .WithSummary("Creates a ticket; its type is a wristband category of the event, its series the event's; the external id is unique per event and source.")
            .ProducesProblem(StatusCodes.Status409Conflict);

        var single = app.MapGroup("/api/tickets").WithTags("Tickets");
        single.MapGet("/{ticketId:guid}", GetAsync).WithName("GetTicket").WithSummary("One ticket, with the wristband it was exchanged for.");
        single.MapPut("/{ticketId:guid}", UpdateAsync).WithName("UpdateTicket")
            .WithSummary("Replaces the ticket's fields; a void or refunded ticket is final, and a paired one keeps its type and series.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        single.MapPost("/{ticketId:guid}/void", VoidAsync).WithName("VoidTicket")
            .WithSummary("Voids (or, with status refunded, refunds) the ticket: its wristband is denied ticket_void from the next scan, on every silo.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        single.MapPost("/{ticketId:guid}/exchange", ExchangeAsync).WithName("ExchangeTicket")
            .WithSummary("Pairs a valid ticket with a registered wristband of its event (by NFC UID): the band takes the ticket's category and series in one transaction; replace: true swaps a paired band, which is revoked.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<Page<TicketView>>> ListAsync(
        Guid eventId, string? status, Guid? seriesId, string? holder, int? page, int? pageSize, HttpContext http, TicketQueries queries)
    {
        if (holder is { Length: 0 or > 320 })
        {
            throw DomainException.Invalid("holder", "Between 1 and 320 characters.");
        }

        return TypedResults.Ok(await queries.ListAsync(
            http.Caller(), eventId, Paging.ParseEnum<TicketStatus>(status, "status"), seriesId, holder, Paging.From(page, pageSize)));
    }

    public static async Task<Created<TicketView>> CreateAsync(Guid eventId, TicketRequest request, HttpContext http, IGrainFactory grains)
    {
        var id = Guid.CreateVersion7();
        var created = await grains.GetGrain<ITicketGrain>(id).CreateAsync(http.Caller(), eventId, request.ToSpec());
        return TypedResults.Created($"/api/tickets/{id}", created);
    }

    public static async Task<Ok<TicketView>> GetAsync(Guid ticketId, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ITicketGrain>(ticketId).GetAsync(http.Caller()));

    public static async Task<Ok<TicketView>> UpdateAsync(Guid ticketId, TicketRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ITicketGrain>(ticketId).UpdateAsync(http.Caller(), request.ToSpec()));

    public static async Task<Ok<TicketView>> VoidAsync(Guid ticketId, VoidTicketRequest? request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ITicketGrain>(ticketId).VoidAsync(http.Caller(), request?.Status ?? TicketStatus.Void, request?.Reason));

    public static async Task<Ok<TicketView>> ExchangeAsync(Guid ticketId, ExchangeTicketRequest request, HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<ITicketGrain>(ticketId).ExchangeAsync(
            http.Caller(), Required.Object(request.NfcId, "nfcId"), request.Replace ?? false));
}
