using EventSeries.CheckIns;
using EventSeries.Grains.Gates;

namespace EventSeries.Tests.Gates;

/// <summary>What "jammed" means, as plain rules: denials spiking, or scans stopping after a busy spell while the series is active.</summary>
public sealed class GateActivityTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HalfOrMoreDenied_OfAtLeastTenScans_IsADenialSpike_FewerScansAreNot()
    {
        var busy = new GateActivity(Noon);
        var quiet = new GateActivity(Noon);
        for (var i = 0; i < 10; i++)
        {
            busy.Record(Scan(Noon.AddSeconds(i), denied: i % 2 == 0));
            if (i < 9)
            {
                quiet.Record(Scan(Noon.AddSeconds(i), denied: true));
            }
        }

        Assert.StartsWith("denials_spike", busy.Jammed(Noon.AddSeconds(30), seriesActive: true), StringComparison.Ordinal);
        Assert.Null(quiet.Jammed(Noon.AddSeconds(30), seriesActive: true));
    }

    [Fact]
    public void ScansThatStop_AfterABusySpell_AreJammed_OnlyWhileTheSeriesIsActive_AndOnlyAfterThreeMinutes()
    {
        var gate = new GateActivity(Noon);
        for (var i = 0; i < 12; i++)
        {
            gate.Record(Scan(Noon.AddSeconds(i * 5), denied: false));
        }

        var last = Noon.AddSeconds(55);
        Assert.Null(gate.Jammed(last + GateActivity.StoppedAfter - TimeSpan.FromSeconds(1), seriesActive: true));
        Assert.StartsWith("scans_stopped", gate.Jammed(last + GateActivity.StoppedAfter, seriesActive: true), StringComparison.Ordinal);
        Assert.Null(gate.Jammed(last + GateActivity.StoppedAfter, seriesActive: false));
    }

    [Fact]
    public void Minutes_AreTheLastTen_OldestFirst_QuietOnesZero_AndOlderOnesForgotten()
    {
        var gate = new GateActivity(Noon);
        gate.Record(Scan(Noon.AddSeconds(10), denied: true));
        gate.Record(Scan(Noon.AddMinutes(3).AddSeconds(1), denied: false));

        var now = Noon.AddMinutes(3).AddSeconds(30);
        var minutes = gate.Minutes(now);
        Assert.Equal(GateActivity.MinutesKept, minutes.Length);
        Assert.Equal((Noon.AddMinutes(3), 1, 0), (minutes[^1].Minute, minutes[^1].Scans, minutes[^1].Denied));
        Assert.Equal((Noon, 1, 1), (minutes[^4].Minute, minutes[^4].Scans, minutes[^4].Denied));

        gate.Prune(Noon.AddMinutes(13));
        Assert.Equal(0, gate.Minutes(Noon.AddMinutes(13)).Sum(m => m.Scans)); // noon+3 is now 11 minutes back
    }

    private static ScanEvent Scan(DateTimeOffset at, bool denied) => new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "general", ScanDirection.In,
        denied ? CheckinResult.Denied : CheckinResult.Allowed, denied ? ScanReasons.GateNotAllowed : ScanReasons.Ok, at, denied ? 0 : 1, Guid.NewGuid());
}
