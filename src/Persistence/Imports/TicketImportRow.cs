namespace EventSeries.Persistence.Imports;

/// <summary>
/// One valid row of a ticket file, found again by (event, <see cref="Source"/>, <see cref="ExternalId"/>).
/// A null <see cref="Status"/>, <see cref="HolderName"/> or <see cref="HolderEmail"/> keeps what is
/// stored (a new ticket is valid); <see cref="Series"/> names the series the ticket admits to, by id
/// or name, separated by <c>|</c> (added to those it has).
/// </summary>
public sealed record TicketImportRow(
    long Line, string ExternalId, string Source, string TicketType, string? Status, string? HolderName, string? HolderEmail, string? Series)
    : IImportRow
{
    /// <summary>Source and external id, with a separator neither can hold.</summary>
    public string Key => Source + "\u001f" + ExternalId;
}
