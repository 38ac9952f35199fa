using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EventSeries.Api.Telemetry;

/// <summary>
/// Metrics and traces (section <c>EventSeries:Telemetry</c>, docs/observability.md). The Prometheus
/// endpoint <c>/metrics</c> exists only when a scrape token or a scrape network is configured: the
/// numbers tell how busy every organization's gates are, which is nobody's business but ops'.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "EventSeries:Telemetry";

    /// <summary>
    /// A scraper sending <c>Authorization: Bearer &lt;token&gt;</c> may read <c>/metrics</c>
    /// (<c>EventSeries__Telemetry__MetricsToken</c>; at least 32 characters, e.g. <c>openssl rand -hex 32</c>).
    /// </summary>
    public string? MetricsToken { get; set; }

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/24</c>) whose addresses may read <c>/metrics</c> without a token.</summary>
    public List<string> MetricsNetworks { get; set; } = [];

    /// <summary>
    /// Where traces go by OTLP (e.g. <c>http://collector:4317</c>); also taken from the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Unset: no traces are collected or exported, and grain
    /// calls carry no trace context (nothing is paid for traces nobody reads).
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The share of requests traced when tracing is on (0..1). Default 0.1: at gate speed every scan traced is a second workload.</summary>
    public double TraceSampleRatio { get; set; } = 0.1;

    /// <summary>Whether <c>/metrics</c> is served at all.</summary>
    public bool ServesMetrics => MetricsToken is not null || MetricsNetworks.Count > 0;

    /// <summary>The parsed <see cref="MetricsNetworks"/>.</summary>
    public IReadOnlyList<IPNetwork> ParsedNetworks() => [.. MetricsNetworks.Select(n => IPNetwork.Parse(n.Trim()))];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MetricsToken is { Length: < 32 })
        {
            yield return new ValidationResult($"{Section}:MetricsToken must be at least 32 characters (openssl rand -hex 32).", [nameof(MetricsToken)]);
        }

        foreach (var network in MetricsNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _)))
        {
            yield return new ValidationResult($"{Section}:MetricsNetworks has '{network}', which is no CIDR network (like 10.0.0.0/24).", [nameof(MetricsNetworks)]);
        }

        if (OtlpEndpoint is not null && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult($"{Section}:OtlpEndpoint must be an absolute URL.", [nameof(OtlpEndpoint)]);
        }

        if (TraceSampleRatio is < 0 or > 1)
        {
            yield return new ValidationResult($"{Section}:TraceSampleRatio must be between 0 and 1.", [nameof(TraceSampleRatio)]);
        }
    }

    /// <summary>Prints no token: options may end up in logs or dumps.</summary>
    public override string ToString() =>
        $"TelemetryOptions {{ MetricsToken = {(MetricsToken is null ? "unset" : "[redacted]")}, MetricsNetworks = [{string.Join(", ", MetricsNetworks)}], OtlpEndpoint = {OtlpEndpoint ?? "unset"} }}";
}
