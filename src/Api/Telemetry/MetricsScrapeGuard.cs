using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Telemetry;

/// <summary>
/// Lets a scrape of <c>/metrics</c> through from a configured network or with the configured token,
/// and answers anyone else 401 with problem details. It runs before authentication: the scrape
/// token is no API token, and must neither be looked up as one nor count as a failed sign-in.
/// </summary>
public sealed class MetricsScrapeGuard(IOptions<TelemetryOptions> options)
{
    private readonly byte[]? _token = options.Value.MetricsToken is { } token ? Encoding.UTF8.GetBytes(token) : null;
    private readonly IReadOnlyList<System.Net.IPNetwork> _networks = options.Value.ParsedNetworks();

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        if (Allows(http))
        {
            await next(http);
            return;
        }

        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        http.Response.Headers.WWWAuthenticate = "Bearer";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Metrics need the scrape token.",
                Detail = $"Send the configured {TelemetryOptions.Section}:MetricsToken as a bearer token, or scrape from a network in {TelemetryOptions.Section}:MetricsNetworks.",
            },
        });
    }

    private bool Allows(HttpContext http)
    {
        if (http.Connection.RemoteIpAddress is { } address && _networks.Any(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
        {
            return true;
        }

        var header = http.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return _token is not null
            && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), _token);
    }
}
