using EventSeries.CheckIns;
using EventSeries.Security;

namespace EventSeries.Persistence.Queries;

/// <summary>
/// The one SQL form of <see cref="CheckinFilter"/>, shared by the paged list and the export, so
/// both select exactly the same rows in the same order. The caller's organizations are part of
/// it: the rows are scoped where they are read, not only by the series check before.
/// </summary>
internal static class CheckinFilterSql
{
    public const string Where =
        """
        WHERE series_id = @seriesId AND organization_id = ANY(@orgs) AND (@GateId::uuid IS NULL OR gate_id = @GateId)
          AND (@Result::text IS NULL OR result = @Result) AND (@Reason::text IS NULL OR reason = @Reason)
          AND (@from::timestamptz IS NULL OR at >= @from) AND (@to::timestamptz IS NULL OR at < @to)
        """;

    /// <summary>The list's order (the index <c>checkin_logs_series_at_ix</c> serves it; id breaks ties).</summary>
    public const string NewestFirst = "ORDER BY at DESC, id DESC";

    /// <summary>The parameters of <see cref="Where"/>, by name (for Dapper and for a plain <c>NpgsqlCommand</c>).</summary>
    public static Dictionary<string, object?> Arguments(Caller caller, Guid seriesId, CheckinFilter filter) => new()
    {
        ["seriesId"] = seriesId,
        ["orgs"] = caller.Memberships.Keys.ToArray(),
        ["GateId"] = filter.GateId,
        ["Result"] = filter.Result?.ToDb(),
        ["Reason"] = filter.Reason,
        ["from"] = filter.From?.UtcDateTime,
        ["to"] = filter.To?.UtcDateTime,
    };
}
