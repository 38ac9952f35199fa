namespace EventSeries.Api.Contracts;

/// <summary>
/// Collects what a request body lacks (System.Text.Json leaves missing fields null), so one 400 names
/// every field at fault rather than the first. Text the grains validate anyway (blank, too long) is
/// named here only when the request is refused here for another reason; otherwise it goes on to the
/// grain, whose answer then names it together with every other rule the body breaks.
/// </summary>
internal sealed class RequestErrors
{
    private const string Missing = "Required.";

    private Dictionary<string, List<string>>? _errors;
    private List<string>? _missingText;

    /// <summary>Records an error for <paramref name="field"/>.</summary>
    public void Add(string field, string message)
    {
        _errors ??= new(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>The value, or a default after recording <paramref name="field"/> as missing.</summary>
    public T Value<T>(T? value, string field)
        where T : struct
    {
        if (value is null)
        {
            Add(field, Missing);
        }

        return value.GetValueOrDefault();
    }

    /// <summary>The object, or null after recording <paramref name="field"/> as missing.</summary>
    public T? Object<T>(T? value, string field)
        where T : class
    {
        if (value is null)
        {
            Add(field, Missing);
        }

        return value;
    }

    /// <summary>Required text, passed on as is ("" when missing) for the grain to validate.</summary>
    public string Text(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            (_missingText ??= []).Add(field);
        }

        return value ?? "";
    }

    /// <summary>Throws one validation failure naming every field at fault, if any is.</summary>
    public void ThrowIfAny()
    {
        if (_errors is null)
        {
            return;
        }

        foreach (var field in _missingText ?? [])
        {
            Add(field, Missing);
        }

        throw DomainException.Invalid(_errors.ToImmutableDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }
}
