using System.Net;
using System.Net.Sockets;
using EventSeries.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace EventSeries.Grains.Webhooks;

/// <summary>
/// Where outgoing webhooks may go (SSRF): http or https URLs without credentials, whose host
/// resolves only to public addresses, unless <see cref="WebhookOptions.AllowPrivateNetworks"/>.
/// Checked when a subscription is saved, and again for every connection (<see cref="ResolveAsync"/>
/// from the sender's connect callback), so a DNS answer that changes later cannot reach inside.
/// </summary>
public sealed class WebhookTargets(IOptions<WebhookOptions> options)
{
    /// <summary>The URL, normalized, or a 400 naming the field <c>url</c>.</summary>
    public async Task<string> CheckAsync(string? url, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw DomainException.Invalid("url", "Must be an absolute http or https URL of at most 2000 characters.");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw DomainException.Invalid("url", "Only http and https URLs are allowed.");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw DomainException.Invalid("url", "A URL may not carry credentials; authenticate deliveries by their signature.");
        }

        try
        {
            await ResolveAsync(uri.IdnHost, cancellationToken);
        }
        catch (WebhookTargetRefusedException e)
        {
            throw DomainException.Invalid("url", e.Message);
        }
        catch (SocketException)
        {
            throw DomainException.Invalid("url", $"The host '{uri.Host}' does not resolve.");
        }

        return uri.AbsoluteUri;
    }

    /// <summary>
    /// The host's addresses, every one of them allowed; otherwise <see cref="WebhookTargetRefusedException"/>.
    /// A host with any refused address is refused altogether: a mixed answer is how rebinding starts.
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (!options.Value.AllowPrivateNetworks)
        {
            foreach (var address in addresses)
            {
                if (WebhookAddressRules.Refusal(address) is { } why)
                {
                    throw new WebhookTargetRefusedException(
                        $"'{host}' resolves to {address}, a {why} address; outgoing webhooks reach public addresses only (see EventSeries:Webhooks:AllowPrivateNetworks).");
                }
            }
        }

        return addresses;
    }
}
