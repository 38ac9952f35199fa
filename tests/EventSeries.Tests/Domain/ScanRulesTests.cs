using EventSeries.Domain.CheckIns;
using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Grains.CheckIns;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Domain;

public sealed class ScanRulesTests
{
    private static readonly DateTimeOffset Start = new(2027, 7, 1, 18, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// An active series whose window has closed (it completes only at its end) refuses entries as too
    /// late, with the closing time on the gate screen.
    /// </summary>
    [Fact]
    public void ActiveSeries_AfterItsWindowClosed_IsTooLate_WithTheLocalClosingTime()
    {
        var gate = new GateRules(Guid.NewGuid(), "Main", GateStatus.Open, [], GateKind.Mixed);
        var series = new SeriesRules(
            Guid.NewGuid(), "Day 1", Start, Start.AddHours(6), Start.AddHours(-1), Start.AddHours(6), SeriesLifecycle.Active, null,
            ReentryPolicy.Reentry, [gate.Id]);
        var wristband = new WristbandInfo(Guid.NewGuid(), Guid.NewGuid(), "general", WristbandStatus.Active);

        var decision = ScanRules.CheckSeries(
            series, gate, wristband, assigned: true, new Presence(0, 0, 0), ScanDirection.In, Start.AddHours(6),
            TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.Equal((ScanReasons.OutsideWindow, "too_late"), (decision.Reason, decision.Detail));
        Assert.Equal("Check-in closed at 02:00.", decision.Message);
    }

    private static readonly WristbandInfo General = new(Guid.NewGuid(), Guid.NewGuid(), "general", WristbandStatus.Active);
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    /// <summary>The direction table of docs/architecture.md: entrances let in, exits let out, mixed gates both.</summary>
    [Theory]
    [InlineData(GateKind.Entry, ScanDirection.In, true)]
    [InlineData(GateKind.Entry, ScanDirection.Out, false)]
    [InlineData(GateKind.Exit, ScanDirection.In, false)]
    [InlineData(GateKind.Exit, ScanDirection.Out, true)]
    [InlineData(GateKind.Vip, ScanDirection.In, true)]
    [InlineData(GateKind.Vip, ScanDirection.Out, false)]
    [InlineData(GateKind.Staff, ScanDirection.In, true)]
    [InlineData(GateKind.Staff, ScanDirection.Out, false)]
    [InlineData(GateKind.Mixed, ScanDirection.In, true)]
    [InlineData(GateKind.Mixed, ScanDirection.Out, true)]
    public void AGatesKind_DecidesWhichDirectionsItAccepts(GateKind kind, ScanDirection direction, bool accepted)
    {
        var gate = new GateRules(Guid.NewGuid(), "Gate 7", GateStatus.Open, [], kind);
        var series = Series(gate, closesAt: Start.AddHours(6));
        var inside = new Presence(1, direction == ScanDirection.Out ? 1 : 0, 1);

        var decision = ScanRules.CheckSeries(series, gate, General, assigned: true, inside, direction, Start, Utc);

        Assert.Equal(accepted, decision.Allowed);
        if (!accepted)
        {
            Assert.Equal((ScanReasons.GateNotAllowed, "direction"), (decision.Reason, decision.Detail));
            Assert.Contains("Gate 7", decision.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>After check-in closed but before the series ends, nobody gets in, but people still get out.</summary>
    [Fact]
    public void AfterTheWindowClosed_WhileTheSeriesRuns_EntriesAreTooLate_ButExitsPass()
    {
        var gate = new GateRules(Guid.NewGuid(), "Main", GateStatus.Open, [], GateKind.Mixed);
        var series = Series(gate, closesAt: Start.AddHours(1));
        var now = Start.AddHours(2);
        var inside = new Presence(1, 1, 1);

        var entry = ScanRules.CheckSeries(series, gate, General, assigned: true, new Presence(0, 0, 0), ScanDirection.In, now, Utc);
        var exit = ScanRules.CheckSeries(series, gate, General, assigned: true, inside, ScanDirection.Out, now, Utc);

        Assert.Equal((ScanReasons.OutsideWindow, "too_late"), (entry.Reason, entry.Detail));
        Assert.True(exit.Allowed, exit.Reason);
    }

    /// <summary>The scanner endpoint picks the series the same way: exits find the running series, entries are told it closed.</summary>
    [Fact]
    public void SelectSeries_AfterTheWindowClosed_OffersTheRunningSeriesForExits_AndExplainsEntriesAsTooLate()
    {
        var gate = new GateRules(Guid.NewGuid(), "Main", GateStatus.Open, [], GateKind.Mixed);
        var series = Series(gate, closesAt: Start.AddHours(1));
        var rules = new EventRules(Guid.NewGuid(), Guid.NewGuid(), Utc, ImmutableDictionary<Guid, GateRules>.Empty.Add(gate.Id, gate), [series]);
        var now = Start.AddHours(2);

        var (exits, exitDenial) = ScanRules.SelectSeries(rules, [series.Id], ScanDirection.Out, now);
        var (entries, entryDenial) = ScanRules.SelectSeries(rules, [series.Id], ScanDirection.In, now);

        Assert.Null(exitDenial);
        Assert.Equal([series], exits);
        Assert.Empty(entries);
        Assert.Equal((ScanReasons.OutsideWindow, "too_late", "Check-in closed at 19:00."), (entryDenial!.Reason, entryDenial.Detail, entryDenial.Message));
    }

    /// <summary>An active series from an hour before <see cref="Start"/> to six hours after, check-in closing at <paramref name="closesAt"/>.</summary>
    private static SeriesRules Series(GateRules gate, DateTimeOffset closesAt) => new(
        Guid.NewGuid(), "Day 1", Start, Start.AddHours(6), Start.AddHours(-1), closesAt, SeriesLifecycle.Active, null, ReentryPolicy.Reentry, [gate.Id]);
}
