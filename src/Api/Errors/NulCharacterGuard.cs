using Microsoft.AspNetCore.Mvc;

namespace EventSeries.Api.Errors;

/// <summary>
/// Refuses query strings and route values holding a NUL character with 400 problem details, before
/// any endpoint runs (PostgreSQL text cannot hold NUL; see <see cref="NulFreeStringConverter"/>).
/// </summary>
public static class NulCharacterGuard
{
    public static IApplicationBuilder UseNulCharacterGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true
            || request.Query.Any(q => q.Key.Contains('\0', StringComparison.Ordinal) || q.Value.Any(v => v?.Contains('\0', StringComparison.Ordinal) == true)))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request is malformed.",
                    Detail = "The path or query string contains a NUL character.",
                    Extensions = { ["code"] = "malformed_request" },
                },
            });
            return;
        }

        await next(context);
    });
}
