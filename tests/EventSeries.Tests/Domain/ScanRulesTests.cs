using EventSeries.CheckIns;
using EventSeries.Events;
using EventSeries.Grains.CheckIns;
using EventSeries.Persistence.CheckIns;
using EventSeries.Persistence.Rules;
using EventSeries.Series;
using EventSeries.Wristbands;

namespace EventSeries.Tests.Domain;

public sealed class ScanRulesTests
{
    private static readonly DateTimeOffset Start = new(2027, 7, 1, 18, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// An active series whose window has closed but that the lifecycle sweep has not completed yet
    /// refuses as too late (over HTTP the sweep usually completes it first).
    /// </summary>
    [Fact]
    public void ActiveSeries_AfterItsWindowClosed_IsTooLate_WithTheLocalClosingTime()
    {
        var gate = new GateRules(Guid.NewGuid(), "Main", GateStatus.Open, []);
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
}
