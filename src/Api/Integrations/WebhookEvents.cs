using EventSeries.Integrations;
using EventSeries.Persistence.Integrations;
using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Api.Integrations;

/// <summary>
/// Applies a verified delivery's event through the grains, as its integration
/// (<see cref="Caller.ForIntegration"/>): the same calls the ticket and wristband endpoints make,
/// so a status change reaches the paired wristband's access on every silo, and every change is
/// audited with the integration as its actor. References are looked up within the organization
/// whose secret signed the delivery, and the grains check that organization again.
/// </summary>
public sealed class WebhookEvents(IGrainFactory grains, IntegrationLookups lookups)
{
    /// <summary>The event types of each kind.</summary>
    public static readonly IReadOnlyDictionary<IntegrationKind, string[]> Types = new Dictionary<IntegrationKind, string[]>
    {
        [IntegrationKind.Payments] = ["payment.paid", "payment.failed", "payment.refunded", "payment.charged_back"],
        [IntegrationKind.Crm] = ["attendee.updated", "wristband.lost", "wristband.found"],
        [IntegrationKind.Tickets] = ["ticket.created", "ticket.cancelled"],
    };

    public async Task<DeliveryResult> ApplyAsync(Guid organizationId, IntegrationKind kind, string deliveryId, WebhookPayload payload)
    {
        var type = payload.Type ?? throw DomainException.Invalid("type", "Required.");
        if (!Types[kind].Contains(type))
        {
            throw DomainException.Invalid("type", $"'{type}' is not a {kind.Name()} event; expected one of {string.Join(", ", Types[kind])}.");
        }

        var data = payload.Data ?? throw DomainException.Invalid("data", "Required.");
        var caller = Caller.ForIntegration(organizationId, kind.Name());
        return type switch
        {
            "payment.paid" => await PaymentAsync(PaymentOutcome.Paid),
            "payment.failed" => await PaymentAsync(PaymentOutcome.Failed),
            "payment.refunded" => await PaymentAsync(PaymentOutcome.Refunded),
            "payment.charged_back" => await PaymentAsync(PaymentOutcome.ChargedBack),
            "attendee.updated" => await AttendeeAsync(),
            "wristband.lost" => await WristbandAsync(lost: true),
            "wristband.found" => await WristbandAsync(lost: false),
            "ticket.created" => await TicketCreatedAsync(),
            _ => await TicketCancelledAsync(),
        };

        async Task<DeliveryResult> PaymentAsync(PaymentOutcome outcome)
        {
            var at = payload.Timestamp ?? throw DomainException.Invalid("timestamp", "Required: payments are ordered by when they happened.");
            var ticketId = await TicketAsync(organizationId, data);
            var result = await grains.GetGrain<ITicketGrain>(ticketId).ApplyPaymentAsync(caller, new PaymentUpdate(outcome, at, data.Reference));
            return new(deliveryId, type, result.Applied, result.Outcome, ticketId, null, Name(result.Status));
        }

        async Task<DeliveryResult> AttendeeAsync()
        {
            var ticketId = await TicketAsync(organizationId, data);
            var grain = grains.GetGrain<ITicketGrain>(ticketId);
            var before = await grain.GetAsync(caller);
            var after = await grain.SetHolderAsync(caller, data.HolderName, data.HolderEmail);
            var changed = (after.HolderName, after.HolderEmail) != (before.HolderName, before.HolderEmail);
            return new(deliveryId, type, changed, changed ? "changed" : "unchanged", ticketId, after.WristbandId, Name(after.Status));
        }

        async Task<DeliveryResult> WristbandAsync(bool lost)
        {
            var wristbandId = await WristbandIdAsync(organizationId, data);
            var grain = grains.GetGrain<IWristbandGrain>(wristbandId);
            var band = await grain.GetAsync(caller);

            // Found brings back only a lost band: one revoked or stolen stays so (the organizer decides).
            var target = lost ? WristbandStatus.Lost : WristbandStatus.Active;
            if (band.Status == target || (!lost && band.Status != WristbandStatus.Lost))
            {
                return new(deliveryId, type, false, "unchanged", null, wristbandId, Name(band.Status));
            }

            var after = await grain.SetStatusAsync(caller, target);
            return new(deliveryId, type, true, "changed", null, wristbandId, Name(after.Status));
        }

        async Task<DeliveryResult> TicketCreatedAsync()
        {
            var eventId = data.EventId ?? throw DomainException.Invalid("data.eventId", "Required.");
            var spec = new TicketSpec(
                data.ExternalId ?? "", data.Source ?? "", data.HolderName, data.HolderEmail, data.TicketType ?? "",
                [.. data.SeriesIds ?? []], data.Status ?? TicketStatus.Valid);
            var ticket = await grains.GetGrain<ITicketGrain>(Guid.CreateVersion7()).CreateAsync(caller, eventId, spec);
            return new(deliveryId, type, true, "changed", ticket.Id, null, Name(ticket.Status));
        }

        async Task<DeliveryResult> TicketCancelledAsync()
        {
            var ticketId = await TicketAsync(organizationId, data);
            var grain = grains.GetGrain<ITicketGrain>(ticketId);
            var before = await grain.GetAsync(caller);
            var after = await grain.VoidAsync(caller, TicketStatus.Void, data.Reason);
            var changed = before.Status != after.Status;
            return new(deliveryId, type, changed, changed ? "changed" : "unchanged", ticketId, after.WristbandId, Name(after.Status));
        }
    }

    private async Task<Guid> TicketAsync(Guid organizationId, WebhookData data)
    {
        if (data.TicketId is null && (data.Source is null || data.ExternalId is null))
        {
            throw DomainException.Invalid("data.ticketId", "Name the ticket: ticketId, or source and externalId (with eventId when several events use that id).");
        }

        var found = await lookups.FindTicketsAsync(organizationId, data.TicketId, data.EventId, data.Source, data.ExternalId);
        return found.Count switch
        {
            0 => throw Unknown("unknown_ticket", "No ticket of this organization matches the delivery's ticket."),
            1 => found[0],
            _ => throw DomainException.Invalid("data.eventId", "Tickets of several events have this source and externalId: name the eventId."),
        };
    }

    private async Task<Guid> WristbandIdAsync(Guid organizationId, WebhookData data)
    {
        if (data.NfcId is not null)
        {
            var eventId = data.EventId ?? throw DomainException.Invalid("data.eventId", "Required with nfcId.");
            return await lookups.FindWristbandAsync(organizationId, eventId, data.NfcId)
                ?? throw Unknown("unknown_wristband", "No wristband of this organization's event has this NFC UID.");
        }

        var ticketId = await TicketAsync(organizationId, data);
        return await lookups.FindPairedWristbandAsync(organizationId, ticketId)
            ?? throw Unknown("no_wristband", "The ticket is not paired with a wristband.");
    }

    /// <summary>A reference to nothing in the organization: answered 422, as the grains' own "not found" is here.</summary>
    internal static DomainException Unknown(string code, string message) => new(global::EventSeries.Errors.DomainErrorKind.NotFound, code, message);

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();
}
