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

    /// <summary>The address other silos and clients connect to; written to the membership table. Default 127.0.0.1.</summary>
    public string AdvertisedIP { get; set; } = IPAddress.Loopback.ToString();

    /// <summary>The local address the ports are bound to, when it differs from the advertised one (NAT, containers). Default: the advertised address.</summary>
    public string? ListenIP { get; set; }

    /// <summary>The port silos talk to each other on (<c>Orleans:SiloPort</c>). Default 11111.</summary>
    [Range(1, IPEndPoint.MaxPort, ErrorMessage = Section + ":SiloPort must be a port number from {1} to {2}.")]
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port cluster clients (the API alone) connect to (<c>Orleans:GatewayPort</c>). Default 30000.</summary>
    [Range(1, IPEndPoint.MaxPort, ErrorMessage = Section + ":GatewayPort must be a port number from {1} to {2}.")]
    public int GatewayPort { get; set; } = 30000;

    // Methods, not properties: validation reads every property, and must get to report a bad address first.
    public IPAddress Advertised() => IPAddress.Parse(AdvertisedIP);

    public IPAddress Listen() => string.IsNullOrEmpty(ListenIP) ? Advertised() : IPAddress.Parse(ListenIP);

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
