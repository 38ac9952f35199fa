using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace EventSeries.Api.Hosting;

/// <summary>
/// Which reverse proxies may name the client (<c>EventSeries:ForwardedHeaders</c>). The client
/// address is what the failed-authentication throttle counts, so by default no proxy is trusted
/// and X-Forwarded-For is ignored: anyone could otherwise make up an address per request.
/// </summary>
public sealed class ForwardedHeadersSettings : IValidatableObject
{
    public const string Section = "EventSeries:ForwardedHeaders";

    /// <summary>Addresses of proxies whose X-Forwarded-For / X-Forwarded-Proto are believed, e.g. "10.0.0.5".</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR notation, e.g. "10.0.0.0/24".</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{Section}:KnownProxies: '{proxy}' is not an IP address.");
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"{Section}:KnownNetworks: '{network}' is not a network in CIDR notation (like 10.0.0.0/24).");
        }
    }
}

/// <summary>ASP.NET Core's forwarded-headers middleware, trusting only the configured proxies.</summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddEventSeriesForwardedHeaders(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            // The middleware believes every peer when both lists are empty, so with no proxy
            // configured it must read no headers at all.
            var anyProxy = settings.Value.KnownProxies.Count > 0 || settings.Value.KnownNetworks.Count > 0;
            options.ForwardedHeaders = anyProxy ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto : ForwardedHeaders.None;

            // The framework trusts loopback by default; a proxy must be named to be believed.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }
}
