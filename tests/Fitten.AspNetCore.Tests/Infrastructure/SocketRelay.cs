using System.Net.Sockets;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>One direction of a loopback TCP relay, shared by the test proxies.</summary>
internal static class SocketRelay
{
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
