namespace EventSeries.Domain.Validation;

/// <summary>Collects field errors, then throws them all at once as one validation failure.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>Whether nothing was found wrong.</summary>
    public bool IsEmpty => _errors.Count == 0;

    /// <summary>Records an error for <paramref name="field"/>.</summary>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Requires non-blank text of at most <paramref name="maxLength"/> characters.</summary>
    public void RequireText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "Required.");
        }
        else if (value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
        }
    }

    /// <summary>Allows null, but no more than <paramref name="maxLength"/> characters.</summary>
    public void LimitText(string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            Add(field, $"At most {maxLength} characters.");
        }
    }

    /// <summary>The collected errors as they cross the wire.</summary>
    public ImmutableDictionary<string, string[]> ToImmutable() =>
        _errors.ToImmutableDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Throws a validation failure when any error was collected.</summary>
    public void ThrowIfAny()
    {
        if (!IsEmpty)
        {
            throw DomainException.Invalid(ToImmutable());
        }
    }
}
