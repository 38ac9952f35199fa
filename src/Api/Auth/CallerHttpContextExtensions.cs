namespace EventSeries.Api.Auth;

/// <summary>Reads the authenticated <see cref="Caller"/> off a request.</summary>
public static class CallerHttpContextExtensions
{
    /// <summary>The caller; endpoints that use it require authentication, so it is always there.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Items[typeof(Caller)] as Caller
        ?? throw new InvalidOperationException("The endpoint must require authorization before reading the caller.");
}
