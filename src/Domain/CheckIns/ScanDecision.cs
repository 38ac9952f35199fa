using EventSeries.CheckIns;

namespace EventSeries.Domain.CheckIns;

/// <summary>What the rules say about a scan, before capacity and the log have their say.</summary>
public sealed record ScanDecision(bool Allowed, string Reason, string? Detail, string Message, SeriesRules? Series)
{
    public static ScanDecision Deny(string reason, string? detail, string message, SeriesRules? series = null) =>
        new(false, reason, detail, message, series);

    public static ScanDecision Allow(SeriesRules series, ScanDirection direction) =>
        new(true, ScanReasons.Ok, null, direction == ScanDirection.In ? $"Welcome to {series.Name}" : "See you soon", series);
}
