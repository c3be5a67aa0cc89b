using System.Net;
using System.Net.Sockets;
using Fitten.Client;
using Fitten.Codecs;
using Fitten.Pipeline;

namespace Fitten.Tests.Pipeline;

/// <summary>
/// A pipeline with no user interceptor, for a method without retries, lets the transport end the call itself (no
/// stage chain, no boundary object); with one, the call takes the chain. Both must end a call alike: the same status, message and not-processed flag,
/// in the ValueTask, never thrown at the call site; and a deadline that has already run out is reported by the chain.
/// </summary>
public sealed class ClientPipelineShortcutTests
{
    private static readonly Method<byte[], byte[]> Echo = new("test.shortcut", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance);

    /// <summary>Hands every call on untouched: its presence alone takes calls off the shortcut.</summary>
    private sealed class PassThrough : ClientInterceptor
    {
        public int Calls;

        public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        {
            Interlocked.Increment(ref Calls);
            return next(call);
        }
    }

    /// <summary>A loopback port nothing listens on: connects are refused at once.</summary>
    private static IPEndPoint ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    private static async Task<RpcException> FailAsync(FittenChannel channel, CallOptions options)
    {
        var pending = channel.InvokeAsync(Echo, [1, 2, 3], options); // must not throw here
        return await Assert.ThrowsAsync<RpcException>(async () => await pending);
    }

    [Fact]
    public async Task InvokeAsync_RefusedConnect_ShortcutAndChainEndTheCallAlike()
    {
        var endPoint = ClosedPort();
        var interceptor = new PassThrough();
        // One attempt each: a method with retries has a retry stage, which takes its calls off the shortcut too.
        await using var direct = new FittenChannel(endPoint, new FittenChannelOptions { Policy = { Retry = { MaxAttempts = 1 } } });
        await using var chained = new FittenChannel(endPoint, new FittenChannelOptions { Interceptors = { interceptor }, Policy = { Retry = { MaxAttempts = 1 } } });
        var options = new CallOptions { Timeout = TimeSpan.FromSeconds(10) };

        var viaShortcut = await FailAsync(direct, options);
        var viaChain = await FailAsync(chained, options);

        Assert.Equal(1, interceptor.Calls);
        Assert.Equal(StatusCode.Unavailable, viaShortcut.StatusCode);
        Assert.Equal(viaChain.StatusCode, viaShortcut.StatusCode);
        Assert.Equal(viaChain.NotProcessed, viaShortcut.NotProcessed);
        Assert.True(viaShortcut.NotProcessed);
        Assert.Equal(viaChain.Status.Message.Replace(endPoint.ToString(), "?"), viaShortcut.Status.Message.Replace(endPoint.ToString(), "?"));
    }

    [Fact]
    public async Task InvokeAsync_NoInterceptor_DeadlineAlreadyPassed_DeadlineExceededNotProcessed()
    {
        await using var channel = new FittenChannel(ClosedPort(), new FittenChannelOptions { Policy = { Timeout = TimeSpan.FromMilliseconds(1) } });

        var ex = await FailAsync(channel, new CallOptions { Timeout = TimeSpan.Zero });

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(ex.NotProcessed);
    }
}
