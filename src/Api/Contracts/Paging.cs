using EventSeries.Persistence.Queries;

namespace EventSeries.Api.Contracts;

/// <summary>Query-string paging: <c>page</c> from 1, <c>pageSize</c> 1..500 (default 50).</summary>
internal static class Paging
{
    public const int DefaultPageSize = 50;

    public static PageRequest From(int? page, int? pageSize)
    {
        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        if (number < 1)
        {
            throw DomainException.Invalid("page", "Must be 1 or more.");
        }

        if (size is < 1 or > PageRequest.MaxPageSize)
        {
            throw DomainException.Invalid("pageSize", $"Must be between 1 and {PageRequest.MaxPageSize}.");
        }

        return new PageRequest(number, size);
    }

    /// <summary>Parses an enum from the query string by name only (numbers are not names).</summary>
    public static TEnum? ParseEnum<TEnum>(string? value, string field)
        where TEnum : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        return !value.Any(char.IsDigit) && Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed)
            ? parsed
            : throw DomainException.Invalid(field, $"Must be one of: {string.Join(", ", Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}.");
    }
}
