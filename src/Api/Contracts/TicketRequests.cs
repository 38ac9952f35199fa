using EventSeries.Tickets;

namespace EventSeries.Api.Contracts;

/// <summary>Body of POST /api/events/{eventId}/tickets and PUT /api/tickets/{ticketId}: the ticket's fields.</summary>
public sealed class TicketRequest
{
    /// <summary>The ticket's id in the system it came from; unique per event and source.</summary>
    public string? ExternalId { get; init; }

    /// <summary>The system it came from, e.g. the ticket shop's name.</summary>
    public string? Source { get; init; }

    /// <summary>Personal data, hidden from viewers.</summary>
    public string? HolderName { get; init; }

    /// <summary>Personal data, hidden from viewers.</summary>
    public string? HolderEmail { get; init; }

    /// <summary>A wristband category of the event: the category of the wristband it is exchanged for.</summary>
    public string? TicketType { get; init; }

    /// <summary>Series of the event the ticket admits to.</summary>
    public ImmutableArray<Guid>? SeriesIds { get; init; }

    /// <summary>Valid when left out.</summary>
    public TicketStatus? Status { get; init; }

    public TicketSpec ToSpec()
    {
        var errors = new RequestErrors();
        var spec = new TicketSpec(
            errors.Text(ExternalId, "externalId"), errors.Text(Source, "source"), HolderName, HolderEmail, errors.Text(TicketType, "ticketType"),
            SeriesIds ?? [], Status ?? TicketStatus.Valid);
        errors.ThrowIfAny();
        return spec;
    }
}

/// <summary>Body of POST /api/tickets/{ticketId}/void: void (the default) or refunded, and why.</summary>
public sealed class VoidTicketRequest
{
    public TicketStatus? Status { get; init; }

    public string? Reason { get; init; }
}

/// <summary>Body of POST /api/tickets/{ticketId}/exchange: the wristband handed out, and whether it replaces the ticket's current one.</summary>
public sealed class ExchangeTicketRequest
{
    public string? NfcId { get; init; }

    /// <summary>Pair this band although the ticket has one (lost, broken): the old one is revoked. False when left out.</summary>
    public bool? Replace { get; init; }
}
