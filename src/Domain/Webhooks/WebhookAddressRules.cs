using System.Net;
using System.Net.Sockets;

namespace EventSeries.Domain.Webhooks;

/// <summary>
/// Which addresses an outgoing webhook may connect to (SSRF): none of loopback, link-local
/// (169.254/16, the cloud metadata address among them; fe80::/10), private (10/8, 172.16/12,
/// 192.168/16, ULA fc00::/7), carrier-grade NAT (100.64/10), "this network" (0/8), multicast,
/// broadcast and the unspecified addresses. IPv4-mapped IPv6 addresses are judged as IPv4.
/// Checked when a subscription is saved and again on every connection, after DNS resolution.
/// </summary>
public static class WebhookAddressRules
{
    /// <summary>Why <paramref name="address"/> is refused, or null when it is a public address.</summary>
    public static string? Refusal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 => "this network (0.0.0.0/8)",
                10 => "private (10.0.0.0/8)",
                100 when (b[1] & 0xC0) == 64 => "carrier-grade NAT (100.64.0.0/10)",
                169 when b[1] == 254 => "link-local (169.254.0.0/16)",
                172 when (b[1] & 0xF0) == 16 => "private (172.16.0.0/12)",
                192 when b[1] == 168 => "private (192.168.0.0/16)",
                >= 224 => "multicast or reserved (224.0.0.0/3)",
                _ => null,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
            {
                return "unspecified (::)";
            }

            return address switch
            {
                _ when address.IsIPv6LinkLocal || address.IsIPv6SiteLocal => "link-local (fe80::/10)",
                _ when address.IsIPv6Multicast => "multicast (ff00::/8)",
                _ when (b[0] & 0xFE) == 0xFC => "unique local (fc00::/7)",
                _ => null,
            };
        }

        return "not an IP address";
    }
}
