using EventSeries.Api.Integrations;
using EventSeries.Integrations;
using EventSeries.Persistence.Telemetry;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// Where payment providers, a CRM and ticket shops deliver their events. No bearer token: each
/// delivery is signed (Standard Webhooks) with the organization's secret for that integration, and
/// the signature is the authentication.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>The rate-limiting policy of deliveries (per organization).</summary>
    public const string RatePolicy = "webhooks";

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/integrations/{organizationId:guid}").WithTags("Integrations (webhooks in)")
            .AllowAnonymous()
            .RequireRateLimiting(RatePolicy)
            .AddEndpointFilter(CountWhenAnswered);
        Declare(group.MapPost("/payments", PaymentsAsync)).WithName("ReceivePaymentEvent")
            .WithSummary("A payment provider's event (payment.paid, payment.failed, payment.refunded, payment.charged_back) for a ticket; signed, see docs/architecture.md.");
        Declare(group.MapPost("/crm", CrmAsync)).WithName("ReceiveCrmEvent")
            .WithSummary("A CRM's event (attendee.updated, wristband.lost, wristband.found); signed.");
        Declare(group.MapPost("/tickets", TicketsAsync)).WithName("ReceiveTicketEvent")
            .WithSummary("A ticket shop's event (ticket.created, ticket.cancelled); signed.");
        return app;
    }

    // The handlers read the raw body themselves (the signature covers its exact bytes), so the body
    // and answers are declared here for the OpenAPI document.
    private static RouteHandlerBuilder Declare(RouteHandlerBuilder endpoint) => endpoint
        .Accepts<WebhookPayload>("application/json")
        .Produces<DeliveryResult>()
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>Counts every answered delivery by kind and final status (<c>eventseries.webhooks.received</c>), refusals included.</summary>
    private static ValueTask<object?> CountWhenAnswered(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var kind = http.Request.Path.Value is { } path ? path[(path.LastIndexOf('/') + 1)..] : "";
        http.Response.OnCompleted(() =>
        {
            EventSeriesInstruments.WebhooksReceived.Add(1, new("kind", kind), new("status", http.Response.StatusCode));
            return Task.CompletedTask;
        });
        return next(context);
    }

    public static Task<IResult> PaymentsAsync(Guid organizationId, HttpContext http, WebhookReceiver receiver) =>
        receiver.ReceiveAsync(organizationId, IntegrationKind.Payments, http);

    public static Task<IResult> CrmAsync(Guid organizationId, HttpContext http, WebhookReceiver receiver) =>
        receiver.ReceiveAsync(organizationId, IntegrationKind.Crm, http);

    public static Task<IResult> TicketsAsync(Guid organizationId, HttpContext http, WebhookReceiver receiver) =>
        receiver.ReceiveAsync(organizationId, IntegrationKind.Tickets, http);
}
