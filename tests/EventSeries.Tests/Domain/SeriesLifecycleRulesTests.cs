using EventSeries.Domain.Series;
using EventSeries.Series;

namespace EventSeries.Tests.Domain;

public sealed class SeriesLifecycleRulesTests
{
    /// <summary>The seed's table of allowed transitions, written out independently of the code.</summary>
    private static readonly HashSet<(SeriesLifecycle, SeriesLifecycle)> SeedTable =
    [
        (SeriesLifecycle.Draft, SeriesLifecycle.Scheduled),
        (SeriesLifecycle.Draft, SeriesLifecycle.Cancelled),
        (SeriesLifecycle.Scheduled, SeriesLifecycle.Active),
        (SeriesLifecycle.Scheduled, SeriesLifecycle.Cancelled),
        (SeriesLifecycle.Active, SeriesLifecycle.Completed),
        (SeriesLifecycle.Active, SeriesLifecycle.Cancelled),
    ];

    public static TheoryData<SeriesLifecycle, SeriesLifecycle> AllPairs()
    {
        var data = new TheoryData<SeriesLifecycle, SeriesLifecycle>();
        foreach (var from in Enum.GetValues<SeriesLifecycle>())
        {
            foreach (var to in Enum.GetValues<SeriesLifecycle>())
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void CanTransition_MatchesTheSeedTable(SeriesLifecycle from, SeriesLifecycle to) =>
        Assert.Equal(SeedTable.Contains((from, to)), SeriesLifecycleRules.CanTransition(from, to));

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void EnsureCanTransition_RefusesEveryMissingEdgeAsConflict(SeriesLifecycle from, SeriesLifecycle to)
    {
        if (SeedTable.Contains((from, to)))
        {
            SeriesLifecycleRules.EnsureCanTransition(from, to);
            return;
        }

        var refused = Assert.Throws<DomainException>(() => SeriesLifecycleRules.EnsureCanTransition(from, to));
        Assert.Equal(DomainErrorKind.Conflict, refused.Kind);
        Assert.Equal("illegal_transition", refused.Code);
    }

    [Theory]
    [InlineData(SeriesLifecycle.Completed)]
    [InlineData(SeriesLifecycle.Cancelled)]
    public void TerminalStates_AreTerminalAndNotEditable(SeriesLifecycle state)
    {
        Assert.True(SeriesLifecycleRules.IsTerminal(state));
        Assert.Equal("series_ended", Assert.Throws<DomainException>(() => SeriesLifecycleRules.EnsureEditable(state)).Code);
    }

    [Theory]
    [InlineData(SeriesLifecycle.Draft, true)]
    [InlineData(SeriesLifecycle.Scheduled, false)]
    [InlineData(SeriesLifecycle.Active, false)]
    [InlineData(SeriesLifecycle.Completed, false)]
    [InlineData(SeriesLifecycle.Cancelled, true)]
    public void EnsureDeletable_OnlyDraftOrCancelled(SeriesLifecycle state, bool deletable)
    {
        var refused = Record.Exception(() => SeriesLifecycleRules.EnsureDeletable(state));
        Assert.Equal(deletable, refused is null);
    }
}
