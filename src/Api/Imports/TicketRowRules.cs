using EventSeries.Domain.Validation;
using EventSeries.Persistence.Imports;
using static EventSeries.Api.Imports.ImportFieldRules;

namespace EventSeries.Api.Imports;

/// <summary>
/// The checks one row of a ticket file gets as it is read, the same rules as creating a ticket
/// through JSON (<see cref="TicketValidation"/>): what needs the database (the ticket type is a
/// category of the event, the series exist, a ticket twice, a change of a paired or final ticket) is
/// checked on the staged rows as sets.
/// </summary>
public static class TicketRowRules
{
    /// <summary>The statuses tickets.status allows (0150_integrations.sql).</summary>
    private static readonly HashSet<string> Statuses = ["valid", "void", "refunded", "used", "pending"];

    /// <summary>The columns of a ticket file: <c>external_id</c>, <c>source</c> and <c>ticket_type</c> required.</summary>
    public static readonly ImportSchema<TicketImportRow> Schema = new(
        ["external_id", "source", "ticket_type", "status", "holder_name", "holder_email", "series"], 3,
        (line, f) => Check(line, f[0], f[1], f[2], f[3], f[4], f[5], f[6]));

    public static ImportLine<TicketImportRow> Check(
        long line, string? externalId, string? source, string? ticketType, string? status, string? holderName, string? holderEmail, string? series)
    {
        externalId = Blank(externalId);
        source = Blank(source);
        ticketType = Blank(ticketType);
        status = Blank(status)?.ToLowerInvariant();
        holderName = Blank(holderName);
        holderEmail = Blank(holderEmail);
        series = Blank(series);
        var reason = externalId is null ? "external_id is missing"
            : externalId.Length > 200 || externalId.Contains('\0', StringComparison.Ordinal) ? "external_id must be 1-200 characters"
            : source is null ? "source is missing"
            : source.Length > 100 || source.Contains('\0', StringComparison.Ordinal) ? "source must be 1-100 characters"
            : ticketType is null ? "ticket_type is missing"
            : !EventValidation.CategoryName().IsMatch(ticketType) ? $"'{Clip(ticketType)}' is not a ticket type (a category name)"
            : status is not null && !Statuses.Contains(status) ? $"status '{Clip(status)}' is not one of valid, void, refunded, used, pending"
            : HolderAndSeries(holderName, holderEmail, series);
        return reason is null
            ? ImportLine<TicketImportRow>.Valid(new TicketImportRow(line, externalId!, source!, ticketType!, status, holderName, holderEmail, series))
            : ImportLine<TicketImportRow>.Rejected(line, reason);
    }
}
