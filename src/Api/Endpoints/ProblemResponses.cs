using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace EventSeries.Api.Endpoints;

/// <summary>
/// Declares in the OpenAPI document the problem responses (application/problem+json) the endpoints
/// can answer, once per route group, so generated clients know them. What depends on an endpoint's
/// shape is read from it: 404 where the route names a resource, 400 where a body or query string is
/// validated, 413 where a body is read. What depends on the domain (409) is declared where it happens.
/// </summary>
public static class ProblemResponses
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>
    /// The problems every /api call can meet — no or a bad token (401), a role or scanner scope
    /// that does not allow it (403), too many failed tokens from one address (429), the database or
    /// cluster not answering (503) — plus those its shape implies (see the class summary).
    /// </summary>
    public static RouteGroupBuilder WithProblemResponses(this RouteGroupBuilder group)
    {
        group.ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // Finally: the body and parameters are known only once the handler's metadata is inferred.
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            var routeValues = endpoint is RouteEndpointBuilder route
                ? route.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase)
                : [];
            if (routeValues.Count > 0)
            {
                Declare(endpoint, StatusCodes.Status404NotFound);
            }

            var hasBody = endpoint.Metadata.OfType<IAcceptsMetadata>().Any(a => a.RequestType is not null);
            if (hasBody || HasQueryParameters(endpoint, routeValues))
            {
                Declare(endpoint, StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails));
            }

            if (hasBody)
            {
                Declare(endpoint, StatusCodes.Status413PayloadTooLarge);
            }
        });
        return group;
    }

    /// <summary>Declares problem responses on the group's writes (every method but GET), not its reads.</summary>
    public static RouteGroupBuilder ProducesProblemOnWrites(this RouteGroupBuilder group, params int[] statusCodes)
    {
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().SelectMany(m => m.HttpMethods);
            if (methods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m)))
            {
                foreach (var status in statusCodes)
                {
                    Declare(endpoint, status);
                }
            }
        });
        return group;
    }

    private static void Declare(EndpointBuilder endpoint, int status, Type? type = null)
    {
        if (!endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status))
        {
            endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, type ?? typeof(ProblemDetails), [ProblemJson]));
        }
    }

    // Query-string values are the handler's simple parameters that are not route values (services,
    // HttpContext and the body are classes or interfaces).
    private static bool HasQueryParameters(EndpointBuilder endpoint, HashSet<string> routeValues) =>
        endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault()?.GetParameters()
            .Any(p => IsSimple(p.ParameterType) && !routeValues.Contains(p.Name ?? "")) ?? false;

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Guid)
            || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateOnly);
    }
}
