using System.Net;
using System.Net.Sockets;

namespace Shop.Tests.Infrastructure;

/// <summary>Loopback ports for tests that need a fixed one.</summary>
internal static class FreePort
{
    /// <summary>A port that was free a moment ago and that nothing listens on now: connections to it are refused.</summary>
    public static int Get()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether nothing listens on <paramref name="port"/> (this process can bind it).</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
