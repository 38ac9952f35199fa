namespace EventSeries.Grains.Series;

/// <summary>The series' side of a ticket's exchange (see <see cref="ISeriesAssignmentsGrain"/>).</summary>
public sealed partial class SeriesGrain : ISeriesAssignmentsGrain
{
    public async Task AssignmentsChangedAsync()
    {
        if (_state is null)
        {
            return;
        }

        var counts = await store.CountAssignedAsync(Id);
        _state.Assigned.Clear();
        foreach (var (category, count) in counts)
        {
            _state.Assigned[category] = count;
        }
    }
}
