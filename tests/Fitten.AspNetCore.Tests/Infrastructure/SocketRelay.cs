using System.Net;
using System.Net.Sockets;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>The pieces of a loopback TCP relay, shared by the test proxies: accepting, connecting onward, copying.</summary>
internal static class SocketRelay
{
    /// <summary>Accepts connections until <paramref name="stop"/> fires or the listener stops; each is handed to <paramref name="onAccepted"/> in turn.</summary>
    public static async Task AcceptEachAsync(TcpListener listener, Func<Socket, Task> onAccepted, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            await onAccepted(client);
        }
    }

    /// <summary>Connects a relay's <paramref name="server"/> side to <paramref name="target"/>; when it cannot, disposes both sides and returns false.</summary>
    public static async Task<bool> ConnectAsync(Socket client, Socket server, IPEndPoint target, CancellationToken stop)
    {
        try
        {
            await server.ConnectAsync(target, stop);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            client.Dispose();
            server.Dispose();
            return false;
        }
    }

    /// <summary>
    /// Copies <paramref name="from"/> to <paramref name="to"/> until either side closes or <paramref name="stop"/> fires,
    /// then closes both. While <paramref name="dropping"/> says so (or there is no <paramref name="to"/>) bytes are read and dropped.
    /// </summary>
    public static async Task CopyAsync(Socket from, Socket? to, Func<bool>? dropping, CancellationToken stop)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, stop);
                if (read == 0)
                {
                    break;
                }

                if (to is not null && dropping?.Invoke() != true)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or a side went away.
        }
        finally
        {
            from.Dispose();
            to?.Dispose();
        }
    }
}
