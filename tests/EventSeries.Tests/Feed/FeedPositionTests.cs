using EventSeries.Api.Feed;

namespace EventSeries.Tests.Feed;

/// <summary>
/// A feed event's id is its position: it reads back as written, refuses anything the feed did not
/// write, and orders by time, then check-ins before transitions, then the row's id in the order
/// its text (and PostgreSQL's uuid) sorts.
/// </summary>
public sealed class FeedPositionTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2027, 7, 1, 16, 1, 2, TimeSpan.Zero).AddTicks(1234560);

    [Fact]
    public void APosition_ReadsBackAsWritten_ForCheckinsAndTransitions()
    {
        foreach (var position in new[] { FeedPosition.OfCheckin(Guid.NewGuid(), At), FeedPosition.OfTransition(42, At) })
        {
            Assert.True(FeedPosition.TryParse(position.ToString(), out var parsed));
            Assert.Equal(position, parsed);
            Assert.Equal(At, parsed.At);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("12-x-3")]
    [InlineData("-12-t-3")]
    [InlineData("12-t-0")]
    [InlineData("12-t--3")]
    [InlineData("12-c-not-a-guid")]
    [InlineData("12-c-00000000000000000000000000000000")]
    [InlineData("12-c-01a25267-ff09-7c1a-a923-1a21da6c6590")]
    public void AnythingTheFeedDidNotWrite_IsRefused(string text) => Assert.False(FeedPosition.TryParse(text, out _));

    [Fact]
    public void Positions_OrderByTime_ThenCheckinsBeforeTransitions_ThenByIdAsItsTextSorts()
    {
        var later = FeedPosition.OfCheckin(Guid.NewGuid(), At.AddTicks(10));
        var transition = FeedPosition.OfTransition(1, At);
        Assert.True(FeedPosition.OfTransition(999, At) < later);
        Assert.True(FeedPosition.OfCheckin(Guid.NewGuid(), At) < transition);
        Assert.True(FeedPosition.OfTransition(1, At) < FeedPosition.OfTransition(2, At));

        var ids = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid()).ToList();
        var byPosition = ids.Select(id => FeedPosition.OfCheckin(id, At)).Order().Select(p => p.CheckinId);
        var byText = ids.OrderBy(id => id.ToString("N"), StringComparer.Ordinal);
        Assert.Equal(byText, byPosition);
    }
}
