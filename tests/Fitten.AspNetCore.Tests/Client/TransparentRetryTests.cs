using System.Net;
using System.Net.Sockets;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Client;

/// <summary>
/// Calls a server refused unprocessed (GOAWAY) are sent again on a fresh connection. The resend must not share a
/// buffer the old connection may still be writing: re-encoding into it would put a torn frame on the wire.
/// </summary>
public sealed class TransparentRetryTests
{
    [Fact]
    public async Task ServersStoppingRepeatedly_LargeRequests_EveryAnswerIsItsOwnRequest_NoProtocolError()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var logs = new CapturingLoggerProvider();
        await using var channel = new FittenChannel(new IPEndPoint(IPAddress.Loopback, port), new FittenChannelOptions
        {
            ConnectionsPerEndpoint = 2,
            InitialReconnectBackoff = TimeSpan.FromMilliseconds(1),
            MaxReconnectBackoff = TimeSpan.FromMilliseconds(5),
        });
        int ok = 0;
        var statuses = new List<StatusCode>();
        for (int round = 0; round < 6; round++)
        {
            await using var server = await FittenTestServer.StartAsync(port: port, logs: logs);
            var calls = Enumerable.Range(0, 64).Select(async i =>
            {
                // 100 KB, each call's bytes its own: a torn or swapped frame cannot echo back equal.
                var request = new byte[100 * 1024];
                new Random(round * 1000 + i).NextBytes(request);
                try
                {
                    var response = await channel.InvokeAsync(TestMethods.Echo, request, CallOptions.WithTimeout(TimeSpan.FromSeconds(20)));
                    Assert.Equal(request, response);
                    Interlocked.Increment(ref ok);
                }
                catch (RpcException ex)
                {
                    lock (statuses)
                    {
                        statuses.Add(ex.StatusCode);
                    }
                }
            }).ToArray();

            await Task.Delay(5 * round);
            await server.StopAsync();
            await Task.WhenAll(calls);
        }

        // Refused calls retry and, with no server left to take them, end UNAVAILABLE; nothing else, and some succeed.
        Assert.All(statuses, s => Assert.Equal(StatusCode.Unavailable, s));
        Assert.True(ok > 0, "no call succeeded");
        // A torn frame makes the server close the connection with a protocol error (event 2, ConnectionAborted).
        Assert.DoesNotContain(logs.Events(2), r => r.Message.Contains("ProtocolError", StringComparison.Ordinal));
    }
}
