using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EventSeries.Api.Errors;

/// <summary>
/// The one place a refusal becomes HTTP: domain exceptions and malformed requests turn into RFC 7807
/// problem details with a stable <c>code</c>; a database or cluster fault becomes a 503 with
/// Retry-After; anything else stays a 500 whose details are hidden outside Development.
/// </summary>
public sealed class DomainExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException domain => FromDomain(domain),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request is malformed.",
                Detail = Describe(bad),
                Extensions = { ["code"] = "malformed_request" },
            },
            // Faults of a part, not of the request: say so and ask for a retry rather than a bare 500.
            Npgsql.NpgsqlException { IsTransient: true } or TimeoutException or Orleans.Runtime.SiloUnavailableException => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable; retry.",
                Detail = "A part of the system (database or cluster) did not answer. Retry; a scan retried with the same scanId gets its first verdict.",
                Extensions = { ["code"] = "unavailable" },
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails FromDomain(DomainException e)
    {
        var status = e.Kind switch
        {
            DomainErrorKind.NotFound => StatusCodes.Status404NotFound,
            DomainErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            DomainErrorKind.Conflict => StatusCodes.Status409Conflict,
            DomainErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        ProblemDetails problem = e.Errors is { Count: > 0 } errors
            ? new ValidationProblemDetails(errors.ToDictionary(kv => kv.Key, kv => kv.Value)) { Status = status, Detail = e.Message }
            : new ProblemDetails { Status = status, Detail = e.Message };
        problem.Title = e.Kind switch
        {
            DomainErrorKind.NotFound => "Not found.",
            DomainErrorKind.Forbidden => "Forbidden.",
            DomainErrorKind.Conflict => "Conflict with the current state.",
            DomainErrorKind.Unavailable => "Temporarily unavailable; retry.",
            _ => "The request is invalid.",
        };
        problem.Extensions["code"] = e.Code;
        return problem;
    }

    // The JSON reader's message names the offending path ("$.startsAt"), which is what a client needs.
    private static string Describe(BadHttpRequestException bad) =>
        bad.InnerException is JsonException json ? $"{bad.Message} {json.Message}" : bad.Message;
}
