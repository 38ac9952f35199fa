namespace EventSeries.Errors;

/// <summary>How a refused request maps onto HTTP: decided once, in the API's exception handler.</summary>
public enum DomainErrorKind
{
    /// <summary>The request is malformed or breaks a rule about its own content (400).</summary>
    Validation = 0,

    /// <summary>The resource does not exist, or belongs to another organization (404).</summary>
    NotFound = 1,

    /// <summary>The caller's role does not allow the action (403).</summary>
    Forbidden = 2,

    /// <summary>The request conflicts with the resource's current state (409).</summary>
    Conflict = 3,

    /// <summary>A dependency (the database) failed; nothing was changed and the request can be retried (503).</summary>
    Unavailable = 4,
}
