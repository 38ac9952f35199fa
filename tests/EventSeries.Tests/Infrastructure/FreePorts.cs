using System.Net;
using System.Net.Sockets;

namespace EventSeries.Tests.Infrastructure;

/// <summary>Free loopback TCP ports, so hosts started by parallel tests never collide.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
