using EventSeries.CheckIns;
using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Contracts;

/// <summary>The check-in log's query-string filters, read and checked once for the list and the export.</summary>
internal static class CheckinFilters
{
    public static CheckinFilter Parse(Guid? gateId, string? result, string? reason, DateTimeOffset? from, DateTimeOffset? to)
    {
        // Parsed here, not bound as an enum: binding would take "1" for "denied".
        CheckinResult? parsedResult = result switch
        {
            null => null,
            "allowed" => CheckinResult.Allowed,
            "denied" => CheckinResult.Denied,
            "annulled" => CheckinResult.Annulled,
            _ => throw DomainException.Invalid("result", "Must be allowed, denied or annulled."),
        };

        if (reason is not null && !ScanReasons.All.Contains(reason) && reason != ScanReasons.Annulled)
        {
            throw DomainException.Invalid("reason", $"Must be one of: {string.Join(", ", ScanReasons.All)}, annulled.");
        }

        return new CheckinFilter(gateId, parsedResult, reason, from, to);
    }
}
