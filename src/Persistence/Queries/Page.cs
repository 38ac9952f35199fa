namespace EventSeries.Persistence.Queries;

/// <summary>One page of a list: the items, where it is, and how many match in all.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, long Total);

/// <summary>Which page to read. Pages count from 1.</summary>
public sealed record PageRequest(int PageNumber, int PageSize)
{
    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Rows to skip (a long: a huge page number times the page size overflows an int).</summary>
    public long Offset => (PageNumber - 1L) * PageSize;
}
