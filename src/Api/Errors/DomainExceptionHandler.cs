using System.Text.Json;
using System.Text.RegularExpressions;
using EventSeries.Api.Scans;
using EventSeries.Persistence.Errors;
using Microsoft.AspNetCore.Diagnostics;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Errors;

/// <summary>
/// The one place a refusal becomes HTTP: domain exceptions and malformed requests turn into RFC 7807
/// problem details with a stable <c>code</c>; a database or cluster fault (<see cref="TransientFaults"/>)
/// or a scan's passed deadline becomes a 503 with Retry-After; anything else stays a 500 whose
/// details are hidden outside Development.
/// </summary>
public sealed partial class DomainExceptionHandler(IProblemDetailsService problems, IOptions<HttpJsonOptions> json) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException domain => FromDomain(domain),

            // The API's own scoped reads (queries) report a missing row the way stores do.
            RowNotFoundException missing => FromDomain(DomainException.NotFound(missing.Resource)),
            WriteConflictException conflict => FromDomain(DomainException.Conflict(conflict.Code, conflict.Message)),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = "The request is malformed.",
                Detail = Describe(bad, httpContext),
                Extensions = { ["code"] = "malformed_request" },
            },
            // Faults of a part, not of the request: say so and ask for a retry rather than a bare 500.
            _ when (TransientFaults.IsTransient(exception) && !(exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)) || IsScanDeadline(exception, httpContext) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable; retry.",
                Detail = "A part of the system (database or cluster) did not answer in time. Retry; a scan retried with the same scanId gets its first verdict.",
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

    // A scan's own deadline cancelled it: a fault of the cluster, answered like one. A client that
    // hung up cancels the same way, but nobody is left to answer (ASP.NET Core's exception
    // middleware does not even ask the handlers then; this check holds without it too).
    private static bool IsScanDeadline(Exception exception, HttpContext http) =>
        exception is OperationCanceledException
        && !http.RequestAborted.IsCancellationRequested
        && http.Features.Get<ScanDeadline>() is { HasExpired: true };

    internal static ProblemDetails FromDomain(DomainException e)
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

    // A client needs the path and what belongs there, never the .NET types behind it: the framework's
    // messages name the parameter's type ('Failed to read parameter "CreateSeriesRequest request"').
    private string Describe(BadHttpRequestException bad, HttpContext http)
    {
        if (bad.InnerException is JsonException error)
        {
            // The exception handler runs with the endpoint cleared; the feature keeps the one that failed.
            var endpoint = http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            return JsonErrorText.Describe(error, bodyType, json.Value.SerializerOptions);
        }

        return JsonErrorText.Safe(ParameterWithType().Replace(bad.Message, "parameter \"${name}\""));
    }

    // 'parameter "int page"' -> 'parameter "page"'.
    [GeneratedRegex(@"parameter ""[^""]*?\s(?<name>\w+)""")]
    private static partial Regex ParameterWithType();
}
