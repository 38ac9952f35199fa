using EventSeries.CheckIns;
using EventSeries.Domain.CheckIns;
using EventSeries.Events;
using EventSeries.Series;
using EventSeries.Tickets;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Domain;

/// <summary>
/// Every answer the pure scan rules can give, one row each: the reason and detail a scanner sees
/// for a situation built from scratch. Capacity is decided by the grain after these rules
/// (capacity_reached is covered by the check-in API and concurrency tests).
/// </summary>
public sealed class ScanDenialTableTests
{
    private static readonly DateTimeOffset Start = new(2027, 7, 1, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset InWindow = Start.AddMinutes(-30);
    private static readonly GateRules Main = new(Guid.NewGuid(), "Main", GateStatus.Open, [], GateKind.Mixed);
    private static readonly WristbandInfo General = new(Guid.NewGuid(), Guid.NewGuid(), "general", WristbandStatus.Active);

    private static readonly Dictionary<string, Func<ScanDecision?>> Cases = new()
    {
        ["unknown wristband"] = () => ScanRules.CheckWristband(null),
        ["lost wristband"] = () => ScanRules.CheckWristband(General with { Status = WristbandStatus.Lost }),
        ["active wristband passes the wristband check"] = () => ScanRules.CheckWristband(General),
        ["its ticket was voided"] = () => ScanRules.CheckWristband(General with { Ticket = TicketStatus.Void }),
        ["its ticket was refunded"] = () => ScanRules.CheckWristband(General with { Ticket = TicketStatus.Refunded }),
        ["its ticket was used"] = () => ScanRules.CheckWristband(General with { Ticket = TicketStatus.Used }),
        ["lost wristband with a voided ticket"] = () => ScanRules.CheckWristband(General with { Status = WristbandStatus.Lost, Ticket = TicketStatus.Void }),
        ["its ticket is valid"] = () => ScanRules.CheckWristband(General with { Ticket = TicketStatus.Valid }),
        ["nothing open"] = () => Select(Rules(Series(SeriesLifecycle.Scheduled)), assigned: true, ScanDirection.In, InWindow),
        ["open, but not for this wristband"] = () => Select(Rules(Series()), assigned: false, ScanDirection.In, InWindow),
        ["its own series opens later"] = () => Select(Rules(Series()), assigned: true, ScanDirection.In, Start.AddHours(-3)),
        ["its own series closed check-in"] = () => Select(Rules(Series()), assigned: true, ScanDirection.In, Start.AddHours(2)),
        ["series not active"] = () => Check(Series(SeriesLifecycle.Scheduled)),
        ["before the window"] = () => Check(Series(), now: Start.AddHours(-3)),
        ["after the window, entering"] = () => Check(Series(), now: Start.AddHours(2)),
        ["after the window, leaving"] = () => Check(Series(), direction: ScanDirection.Out, presence: new Presence(1, 1, 1), now: Start.AddHours(2)),
        ["not assigned"] = () => Check(Series(), assigned: false),
        ["gate not assigned to the series"] = () => Check(Series() with { GateIds = [] }),
        ["gate closed"] = () => Check(Series(), gate: Main with { Status = GateStatus.Closed }),
        ["entering at an exit"] = () => Check(Series(), gate: Main with { Kind = GateKind.Exit }),
        ["gate for other categories"] = () => Check(Series(), gate: Main with { AllowedCategories = ["vip"] }),
        ["single entry used"] = () => Check(Series(reentry: ReentryPolicy.Single), presence: new Presence(2, 0, 1)),
        ["already inside"] = () => Check(Series(), presence: new Presence(1, 1, 1)),
        ["leaving without having entered"] = () => Check(Series(), direction: ScanDirection.Out),
        ["entering"] = () => Check(Series()),
        ["leaving"] = () => Check(Series(), direction: ScanDirection.Out, presence: new Presence(1, 1, 1)),
        ["unlimited: leaving without having entered"] = () => Check(Series(reentry: ReentryPolicy.Unlimited), direction: ScanDirection.Out),
    };

    public static TheoryData<string, string?, string?> Table => new()
    {
        { "unknown wristband", ScanReasons.UnknownWristband, null },
        { "lost wristband", ScanReasons.WristbandInactive, "lost" },
        { "active wristband passes the wristband check", null, null },
        { "its ticket was voided", ScanReasons.TicketVoid, "void" },
        { "its ticket was refunded", ScanReasons.TicketVoid, "refunded" },
        { "its ticket was used", ScanReasons.TicketVoid, "used" },
        { "lost wristband with a voided ticket", ScanReasons.WristbandInactive, "lost" },
        { "its ticket is valid", null, null },
        { "nothing open", ScanReasons.NoActiveSeries, null },
        { "open, but not for this wristband", ScanReasons.NotAssigned, null },
        { "its own series opens later", ScanReasons.OutsideWindow, "too_early" },
        { "its own series closed check-in", ScanReasons.OutsideWindow, "too_late" },
        { "series not active", ScanReasons.SeriesNotActive, "scheduled" },
        { "before the window", ScanReasons.OutsideWindow, "too_early" },
        { "after the window, entering", ScanReasons.OutsideWindow, "too_late" },
        { "after the window, leaving", ScanReasons.Ok, null },
        { "not assigned", ScanReasons.NotAssigned, null },
        { "gate not assigned to the series", ScanReasons.GateNotAllowed, "gate_not_assigned" },
        { "gate closed", ScanReasons.GateNotAllowed, "gate_closed" },
        { "entering at an exit", ScanReasons.GateNotAllowed, "direction" },
        { "gate for other categories", ScanReasons.GateNotAllowed, "category" },
        { "single entry used", ScanReasons.AlreadyInside, "single_entry" },
        { "already inside", ScanReasons.AlreadyInside, null },
        { "leaving without having entered", ScanReasons.NotInside, null },
        { "entering", ScanReasons.Ok, null },
        { "leaving", ScanReasons.Ok, null },
        { "unlimited: leaving without having entered", ScanReasons.Ok, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void EachSituation_GetsItsReasonAndDetail(string situation, string? reason, string? detail)
    {
        var decision = Cases[situation]();

        Assert.Equal((reason, detail), (decision?.Reason, decision?.Detail));
        Assert.Equal(reason == ScanReasons.Ok, decision?.Allowed ?? false);
        if (decision is not null)
        {
            Assert.False(string.IsNullOrWhiteSpace(decision.Message));
        }
    }

    [Fact]
    public void TheTable_CoversEveryReasonTheRulesCanGive_AndEverySituationHasARow()
    {
        var covered = Table.Select(row => (string?)row.Data.Item2).ToHashSet();
        var decidedElsewhere = new[] { ScanReasons.CapacityReached, ScanReasons.Annulled };
        Assert.Equal([], ScanReasons.All.Append(ScanReasons.Ok).Except(decidedElsewhere).Where(r => !covered.Contains(r)));
        Assert.Equal(Cases.Keys.Order(), Table.Select(row => row.Data.Item1).Order());
    }

    private static SeriesRules Series(SeriesLifecycle lifecycle = SeriesLifecycle.Active, ReentryPolicy reentry = ReentryPolicy.Reentry) => new(
        Guid.NewGuid(), "Day 1", Start, Start.AddHours(6), Start.AddHours(-2), Start.AddHours(1), lifecycle, null, reentry, [Main.Id]);

    private static EventRules Rules(params SeriesRules[] series) =>
        new(Guid.NewGuid(), General.OrganizationId, TimeZoneInfo.Utc, ImmutableDictionary<Guid, GateRules>.Empty.Add(Main.Id, Main), [.. series]);

    private static ScanDecision? Select(EventRules rules, bool assigned, ScanDirection direction, DateTimeOffset now) =>
        ScanRules.SelectSeries(rules, assigned ? [.. rules.Series.Select(s => s.Id)] : [], direction, now).Denial;

    private static ScanDecision Check(
        SeriesRules series, GateRules? gate = null, bool assigned = true, Presence presence = default, ScanDirection direction = ScanDirection.In,
        DateTimeOffset? now = null) =>
        ScanRules.CheckSeries(series, gate ?? Main, General, assigned, presence, direction, now ?? InWindow, TimeZoneInfo.Utc);
}
