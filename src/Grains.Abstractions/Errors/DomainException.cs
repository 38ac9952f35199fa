namespace EventSeries.Errors;

/// <summary>
/// The one exception grains throw to refuse a request. It crosses the silo boundary intact
/// (serializable) and the API turns it into RFC 7807 problem details in one place.
/// </summary>
[GenerateSerializer, Alias("es.domain-exception")]
public sealed class DomainException : Exception
{
    public DomainException()
    {
        Code = "error";
    }

    public DomainException(string message)
        : base(message)
    {
        Code = "error";
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "error";
    }

    public DomainException(DomainErrorKind kind, string code, string message, ImmutableDictionary<string, string[]>? errors = null)
        : base(message)
    {
        Kind = kind;
        Code = code;
        Errors = errors;
    }

    /// <summary>Which family of refusal this is.</summary>
    [Id(0)]
    public DomainErrorKind Kind { get; init; }

    /// <summary>A stable machine-readable code, e.g. <c>illegal_transition</c>.</summary>
    [Id(1)]
    public string Code { get; init; }

    /// <summary>Field errors for validation failures (field name to messages).</summary>
    [Id(2)]
    public ImmutableDictionary<string, string[]>? Errors { get; init; }

    public static DomainException NotFound(string resource) =>
        new(DomainErrorKind.NotFound, "not_found", $"{resource} was not found.");

    public static DomainException Forbidden(string message) =>
        new(DomainErrorKind.Forbidden, "forbidden", message);

    public static DomainException Forbidden(string code, string message) =>
        new(DomainErrorKind.Forbidden, code, message);

    public static DomainException Conflict(string code, string message) =>
        new(DomainErrorKind.Conflict, code, message);

    public static DomainException Unavailable(string message) =>
        new(DomainErrorKind.Unavailable, "unavailable", message);

    public static DomainException Invalid(string field, string message) =>
        Invalid(ImmutableDictionary<string, string[]>.Empty.Add(field, [message]));

    public static DomainException Invalid(ImmutableDictionary<string, string[]> errors) =>
        new(DomainErrorKind.Validation, "validation_failed", "One or more fields are invalid.", errors);
}
