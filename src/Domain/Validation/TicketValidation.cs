using EventSeries.Tickets;

namespace EventSeries.Domain.Validation;

/// <summary>Validation of a ticket's fields against its event (categories and series).</summary>
public static class TicketValidation
{
    /// <summary>The most series one ticket may admit to.</summary>
    public const int MaxSeries = 100;

    /// <param name="spec">The fields to check.</param>
    /// <param name="categories">The event's category names (a ticket type must be one).</param>
    /// <param name="eventSeries">Which of the spec's series ids are series of the event.</param>
    /// <param name="errors">Where errors are collected.</param>
    public static void Validate(TicketSpec spec, ISet<string> categories, ISet<Guid> eventSeries, FieldErrors errors)
    {
        errors.RequireText("externalId", spec.ExternalId, 200);
        errors.RequireText("source", spec.Source, 100);
        errors.LimitText("holderName", spec.HolderName, 200);
        if (spec.HolderEmail is not null && (spec.HolderEmail.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(spec.HolderEmail, out _)))
        {
            errors.Add("holderEmail", "Must be an e-mail address.");
        }

        if (string.IsNullOrEmpty(spec.TicketType) || !categories.Contains(spec.TicketType))
        {
            errors.Add("ticketType", $"'{spec.TicketType}' is not a wristband category of the ticket's event.");
        }

        if (!Enum.IsDefined(spec.Status))
        {
            errors.Add("status", "Unknown status.");
        }

        var series = spec.SeriesIds.IsDefault ? [] : spec.SeriesIds;
        if (series.Length > MaxSeries)
        {
            errors.Add("seriesIds", $"At most {MaxSeries} series.");
            return;
        }

        // Another organization's series (or another event's) is named like a made-up id: no more.
        foreach (var unknown in series.Where(s => !eventSeries.Contains(s)).Distinct().Take(20))
        {
            errors.Add("seriesIds", $"Series {unknown} is not a series of the ticket's event.");
        }
    }
}
