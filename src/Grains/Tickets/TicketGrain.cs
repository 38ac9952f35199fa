using EventSeries.CheckIns;
using EventSeries.Domain.Validation;
using EventSeries.Grains.Series;
using EventSeries.Persistence.Audit;
using EventSeries.Persistence.Tickets;
using EventSeries.Tickets;
using EventSeries.Wristbands;
using Orleans.Runtime;

namespace EventSeries.Grains.Tickets;

/// <summary>
/// One ticket. Its row is read on every call, as a wristband's is: tickets go with their event by
/// cascade, not through this grain, and ticket calls are administrative (scans never come here).
/// Whatever changes what its wristband may do is pushed to that wristband's access grain before
/// the call answers, which is how a void or refund stops the band on every silo at once.
/// </summary>
[GrainType("ticket")]
public sealed partial class TicketGrain(TicketStore store, DomainTime time) : Grain, ITicketGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<TicketView> CreateAsync(Caller caller, Guid eventId, TicketSpec spec)
    {
        var (organizationId, categories) = await store.FindEventAsync(eventId) ?? throw DomainException.NotFound("Event");
        caller.Authorize(organizationId, Permission.ManageTickets, "Event");
        if (await store.LoadAsync(Id) is not null)
        {
            throw DomainException.Conflict("ticket_exists", "A ticket with this id already exists.");
        }

        var series = await ValidateAsync(eventId, categories, spec);
        var now = time.Now();
        var ticket = new TicketView(
            Id, organizationId, eventId, spec.ExternalId, spec.Source, spec.HolderName, spec.HolderEmail, spec.TicketType, spec.Status,
            series, null, null, now, now);
        await store.InsertAsync(ticket, AuditEntry.By(caller, organizationId, now, "ticket.create", "ticket", Id, null, Audited(ticket)));
        return ticket.For(caller);
    }

    public async Task<TicketView> GetAsync(Caller caller) => (await VisibleAsync(caller, Permission.View)).For(caller);

    public async Task<TicketView> UpdateAsync(Caller caller, TicketSpec spec)
    {
        var before = await VisibleAsync(caller, Permission.ManageTickets);
        var (_, categories) = await store.FindEventAsync(before.EventId) ?? throw DomainException.NotFound("Ticket");
        var series = await ValidateAsync(before.EventId, categories, spec);
        EnsureOpen(before);
        if (before.WristbandId is not null && (spec.TicketType != before.TicketType || !series.ToHashSet().SetEquals(before.SeriesIds)))
        {
            throw DomainException.Conflict(
                "ticket_paired", "The ticket is paired with a wristband, which has its type and series: they cannot change now (void the ticket and issue another).");
        }

        var now = time.Now();
        var after = before with
        {
            ExternalId = spec.ExternalId, Source = spec.Source, HolderName = spec.HolderName, HolderEmail = spec.HolderEmail,
            TicketType = spec.TicketType, Status = spec.Status, SeriesIds = series, UpdatedAt = now,
        };
        await store.UpdateAsync(after, AuditEntry.By(caller, before.OrganizationId, now, "ticket.update", "ticket", Id, Audited(before), Audited(after)));
        if (after.Status != before.Status)
        {
            await TellWristbandAsync(after.EventId, after.NfcId);
        }

        return after.For(caller);
    }

    public async Task<TicketView> VoidAsync(Caller caller, TicketStatus status, string? reason)
    {
        var before = await VisibleAsync(caller, Permission.ManageTickets);
        if (status is not (TicketStatus.Void or TicketStatus.Refunded))
        {
            throw DomainException.Invalid("status", "Must be void or refunded.");
        }

        if (reason is { Length: > 1000 })
        {
            throw DomainException.Invalid("reason", "At most 1000 characters.");
        }

        if (before.Status == status)
        {
            return before.For(caller); // asked again: nothing more to do
        }

        EnsureOpen(before);
        var now = time.Now();
        var after = before with { Status = status, UpdatedAt = now };
        await store.UpdateAsync(after, AuditEntry.By(
            caller, before.OrganizationId, now, status == TicketStatus.Void ? "ticket.void" : "ticket.refund", "ticket", Id,
            new { status = before.Status, before.WristbandId }, new { status, before.WristbandId, reason }));

        // The band's access grain holds the ticket's status in memory: tell it before answering.
        await TellWristbandAsync(after.EventId, after.NfcId);
        return after.For(caller);
    }

    public async Task<TicketView> ExchangeAsync(Caller caller, string nfcId, bool replace)
    {
        var before = await VisibleAsync(caller, Permission.ManageTickets);
        if (string.IsNullOrWhiteSpace(nfcId) || !EventValidation.NfcId().IsMatch(nfcId))
        {
            throw DomainException.Invalid("nfcId", "Must be 1-64 printable ASCII characters without spaces.");
        }

        var band = await store.FindWristbandAsync(before.EventId, nfcId)
            ?? throw DomainException.Invalid("nfcId", $"NFC UID '{nfcId}' is not registered for the ticket's event.");
        if (before.Status != TicketStatus.Valid)
        {
            throw DomainException.Conflict("ticket_not_valid", $"The ticket is {Name(before.Status)}: only a valid ticket can be exchanged.");
        }

        if (band.Id == before.WristbandId)
        {
            return before.For(caller); // already paired with this band
        }

        if (before.WristbandId is not null && !replace)
        {
            throw DomainException.Conflict(
                "ticket_paired", $"The ticket is paired with wristband {before.NfcId}; send replace: true to pair this one instead (the old one is revoked).");
        }

        if (band.Status != WristbandStatus.Active)
        {
            throw DomainException.Conflict("wristband_not_active", $"The wristband is {Name(band.Status)}: only an active wristband can be paired.");
        }

        if (band.TicketId is not null)
        {
            throw DomainException.Conflict("wristband_paired", "The wristband is paired with another ticket.");
        }

        var now = time.Now();
        var replaced = before.WristbandId is not null;
        var audit = AuditEntry.By(
            caller, before.OrganizationId, now, replaced ? "ticket.replace_wristband" : "ticket.exchange", "ticket", Id,
            new { before.WristbandId, nfcId = before.NfcId },
            new { wristbandId = band.Id, nfcId, category = before.TicketType, before.SeriesIds, revoked = before.WristbandId });
        var changedSeries = await store.ExchangeAsync(
            new TicketExchange(Id, band.Id, before.WristbandId, before.TicketType, before.SeriesIds), now, audit);

        // The gates hold category, assignments and ticket in memory, and the series their counts:
        // tell them now (the old band first: from this moment it must not admit).
        await TellWristbandAsync(before.EventId, before.NfcId);
        await TellWristbandAsync(before.EventId, nfcId);
        await Task.WhenAll(changedSeries.Select(s => GrainFactory.GetGrain<ISeriesAssignmentsGrain>(s).AssignmentsChangedAsync()));
        return (before with { WristbandId = band.Id, NfcId = nfcId, UpdatedAt = now }).For(caller);
    }

    private async Task TellWristbandAsync(Guid eventId, string? nfcId)
    {
        if (nfcId is not null)
        {
            await GrainFactory.Reference<IWristbandAccessGrain>(AccessKey.For(eventId, nfcId)).TicketChangedAsync();
        }
    }

    /// <summary>Checks the spec against the event; returns its series without repeats.</summary>
    private async Task<ImmutableArray<Guid>> ValidateAsync(Guid eventId, HashSet<string> categories, TicketSpec spec)
    {
        // In one order (the store's), so a ticket read back equals the one written.
        ImmutableArray<Guid> series = spec.SeriesIds.IsDefault ? [] : [.. spec.SeriesIds.Distinct().Order()];
        HashSet<Guid> known = series.IsEmpty || series.Length > TicketValidation.MaxSeries ? [] : await store.FindEventSeriesAsync(eventId, [.. series]);
        var errors = new FieldErrors();
        TicketValidation.Validate(spec, categories, known, errors);
        errors.ThrowIfAny();
        return series;
    }

    /// <summary>Void and refunded are final: such a ticket is never changed again.</summary>
    private static void EnsureOpen(TicketView ticket)
    {
        if (ticket.Status is TicketStatus.Void or TicketStatus.Refunded)
        {
            throw DomainException.Conflict("ticket_closed", $"The ticket is {Name(ticket.Status)}; it cannot change any more.");
        }
    }

    /// <summary>What the audit trail keeps of a ticket: not its holder's personal data.</summary>
    private static object Audited(TicketView t) => new { t.EventId, t.ExternalId, t.Source, t.TicketType, t.Status, t.SeriesIds, t.WristbandId };

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private async Task<TicketView> VisibleAsync(Caller caller, Permission permission)
    {
        var ticket = await store.LoadAsync(Id) ?? throw DomainException.NotFound("Ticket");
        caller.Authorize(ticket.OrganizationId, permission, "Ticket");
        return ticket;
    }
}
