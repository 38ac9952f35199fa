using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EventSeries.Silo.Hosting;

/// <summary>
/// Where a silo listens and how other silos and clients reach it (section <c>Orleans</c>).
/// Grain calls carry the caller's identity and the silo believes it, so silo and gateway ports
/// must never be reachable from outside the cluster's network: by default both listen on
/// loopback only (one machine, any number of silos on their own ports). A real cluster sets
/// <see cref="AdvertisedIP"/> to the node's address on its private network.
/// </summary>
public sealed class SiloNetworkSettings : IValidatableObject
{
    public const string Section = "Orleans";

    /// <summary>The address other silos and clients connect to; written to the membership table.</summary>
    public string AdvertisedIP { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>The local address the ports are bound to, when it differs from the advertised one (NAT, containers).</summary>
    public string? ListenIP { get; set; }

    [Range(1, IPEndPoint.MaxPort)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, IPEndPoint.MaxPort)]
    public int GatewayPort { get; set; } = 30000;

    public IPAddress Advertised => IPAddress.Parse(AdvertisedIP);

    public IPAddress Listen => string.IsNullOrEmpty(ListenIP) ? Advertised : IPAddress.Parse(ListenIP);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, value) in new[] { (nameof(AdvertisedIP), AdvertisedIP), (nameof(ListenIP), ListenIP ?? IPAddress.Loopback.ToString()) })
        {
            if (!IPAddress.TryParse(value, out _))
            {
                yield return new ValidationResult($"{Section}:{name}: '{value}' is not an IP address.", [name]);
            }
        }
    }
}
