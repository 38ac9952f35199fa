using System.Net;
using EventSeries.Domain.Webhooks;
using EventSeries.Grains.Webhooks;
using EventSeries.Persistence.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace EventSeries.Tests.Webhooks;

/// <summary>The pure rules behind outgoing webhooks: which addresses are refused, when to retry, how far the pump may read.</summary>
public sealed class WebhookRulesTests
{
    [Theory]
    [InlineData("127.0.0.1"), InlineData("127.255.0.9"), InlineData("::1"), InlineData("10.0.0.1"), InlineData("172.16.0.1"), InlineData("172.31.255.255")]
    [InlineData("192.168.0.1"), InlineData("100.64.0.1"), InlineData("100.127.255.255"), InlineData("169.254.169.254"), InlineData("0.0.0.0")]
    [InlineData("0.1.2.3"), InlineData("224.0.0.1"), InlineData("255.255.255.255"), InlineData("fc00::1"), InlineData("fdff::1"), InlineData("fe80::1")]
    [InlineData("ff02::1"), InlineData("::"), InlineData("::ffff:10.0.0.1"), InlineData("::ffff:127.0.0.1")]
    public void NonPublicAddresses_AreRefused(string address) => Assert.NotNull(WebhookAddressRules.Refusal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34"), InlineData("8.8.8.8"), InlineData("172.32.0.1"), InlineData("172.15.255.255"), InlineData("100.128.0.1")]
    [InlineData("100.63.255.255"), InlineData("169.253.0.1"), InlineData("2606:4700::1111"), InlineData("::ffff:8.8.8.8")]
    public void PublicAddresses_AreAllowed(string address) => Assert.Null(WebhookAddressRules.Refusal(IPAddress.Parse(address)));

    [Fact]
    public void Backoff_GrowsExponentiallyWithFullJitter_UpToTheCap()
    {
        var options = new WebhookOptions();
        var now = new DateTimeOffset(2027, 7, 1, 12, 0, 0, TimeSpan.Zero);
        var random = new Random(42);
        for (var failures = 1; failures <= 40; failures++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(options.RetryMaxDelay.Ticks, options.RetryBaseDelay.Ticks * (1L << Math.Min(failures - 1, 30))));
            var delays = Enumerable.Range(0, 200).Select(_ => WebhookBackoff.RetryAt(failures, now, now, options, random)!.Value - now).ToList();
            Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, ceiling));

            // Full jitter: spread over the whole range, not bunched at its top.
            Assert.True(delays.Min() < ceiling / 4 && delays.Max() > ceiling * 3 / 4, $"failures {failures}: {delays.Min()}..{delays.Max()} of {ceiling}");
        }
    }

    [Fact]
    public void Backoff_RetriesForThreeDays_ThenGivesUp()
    {
        var options = new WebhookOptions();
        var first = new DateTimeOffset(2027, 7, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromDays(3), options.GiveUpAfter);

        var lastTry = WebhookBackoff.RetryAt(50, first, first + TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1), options, new Random(1));
        Assert.NotNull(lastTry);
        Assert.True(lastTry <= first + TimeSpan.FromDays(3), "the last retry is not scheduled past the period");
        Assert.Null(WebhookBackoff.RetryAt(51, first, first + TimeSpan.FromDays(3), options, new Random(1)));
    }

    [Fact]
    public void ThePump_StopsBeforeAGap_UntilEveryTransactionRunningThenHasEnded()
    {
        var clock = new FakeTimeProvider();
        var gaps = new LogGapTracker(clock, TimeSpan.FromMinutes(5));
        var running = new PumpSnapshot(Xmin: 100, Xmax: 110);

        Assert.Equal(3, gaps.SafeUpTo(0, [1, 2, 3], running));
        Assert.Equal(5, gaps.SafeUpTo(3, [4, 5, 7, 8], running));                 // 6 may be in a transaction below 110
        Assert.Equal(5, gaps.SafeUpTo(5, [7, 8], new PumpSnapshot(108, 120)));   // 108 still running
        Assert.Equal(5, gaps.SafeUpTo(5, [7, 8], new PumpSnapshot(110, 120)));   // 110 may have taken it just then
        Assert.Equal(8, gaps.SafeUpTo(5, [7, 8], new PumpSnapshot(111, 120)));   // all ended: 6 never comes

        // A gap that fills in is simply read through.
        Assert.Equal(8, gaps.SafeUpTo(8, [10], new PumpSnapshot(115, 125)));
        Assert.Equal(10, gaps.SafeUpTo(8, [9, 10], new PumpSnapshot(115, 125)));

        // A transaction left open holds the pump for GapGrace at most.
        Assert.Equal(10, gaps.SafeUpTo(10, [12], new PumpSnapshot(115, 130)));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(12, gaps.SafeUpTo(10, [12], new PumpSnapshot(115, 140)));
    }
}
