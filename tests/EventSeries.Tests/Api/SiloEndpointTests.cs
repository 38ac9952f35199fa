using System.Globalization;
using System.Net;

namespace EventSeries.Tests.Api;

/// <summary>
/// Grain calls carry the caller's identity and the gateway believes it, so the silo and gateway
/// ports must not be reachable from other machines: by default they listen on loopback only.
/// </summary>
[Trait("Category", "Postgres")]
public sealed class SiloEndpointTests(PostgresServer postgres)
{
    [Fact]
    public async Task ByDefault_SiloAndGatewayListenOnLoopbackOnly()
    {
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync());
        var configuration = host.App.Configuration;

        foreach (var key in new[] { "Orleans:SiloPort", "Orleans:GatewayPort" })
        {
            var port = int.Parse(configuration[key]!, CultureInfo.InvariantCulture);
            Assert.Equal([IPAddress.Loopback], ListeningAddresses(port));
        }
    }

    [Fact]
    public async Task AConfiguredListenAddress_IsWhereSiloAndGatewayListen()
    {
        // Any 127/8 address is local on Linux: 127.0.0.2 stands for a node's address on the cluster's
        // network, 127.0.0.3 for the address other silos reach it by (e.g. through NAT).
        var listen = IPAddress.Parse("127.0.0.2");
        await using var host = await ApiHost.StartAsync(await postgres.CreateDatabaseAsync(), settings: new Dictionary<string, string?>
        {
            ["Orleans:AdvertisedIP"] = "127.0.0.3",
            ["Orleans:ListenIP"] = listen.ToString(),
        });
        var configuration = host.App.Configuration;

        foreach (var key in new[] { "Orleans:SiloPort", "Orleans:GatewayPort" })
        {
            var port = int.Parse(configuration[key]!, CultureInfo.InvariantCulture);
            Assert.Equal([listen], ListeningAddresses(port));
        }
    }

    /// <summary>The addresses with a listening TCP socket on <paramref name="port"/>, from the kernel's own table.</summary>
    private static IPAddress[] ListeningAddresses(int port)
    {
        const string Listen = "0A";
        var addresses = new List<IPAddress>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st ...", the address as hex bytes in kernel (little-endian per 32-bit word) order.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var (hexAddress, hexPort) = (fields[1].Split(':')[0], fields[1].Split(':')[1]);
                if (fields[3] != Listen || int.Parse(hexPort, NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
                {
                    continue;
                }

                var bytes = Convert.FromHexString(hexAddress);
                for (var word = 0; word < bytes.Length; word += 4)
                {
                    Array.Reverse(bytes, word, 4);
                }

                var address = new IPAddress(bytes);
                addresses.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
            }
        }

        return [.. addresses];
    }
}
