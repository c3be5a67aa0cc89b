using System.Buffers.Binary;
using System.Net;
using System.Text;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Pipeline;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>Response metadata on the wire, byte for byte as docs/protocol.md describes it (header entries, kind 0x09).</summary>
public sealed class ResponseMetadataTests
{
    private sealed class AddsHeader : ServerInterceptor
    {
        public override ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, ServerCallHandler<TRequest, TResponse> next)
        {
            context.ResponseHeaders.Add("retry-after", "2");
            return next(request, context);
        }
    }

    [Fact]
    public async Task OkResponse_WithHeaders_MetadataBlockHoldsOnlyHeaderEntries()
    {
        await using var servers = await HopServers.StartAsync(configureBack: o => o.Interceptors.Add(new AddsHeader()));
        var back = new Uri(servers.Back.Urls.First());
        await using var raw = await RawFittenConnection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, back.Port));

        await raw.SendRequestAsync(1, "test.hop/Inspect", []);
        var response = await raw.ReadFrameAsync(FrameType.Response, TimeSpan.FromSeconds(10));

        Assert.NotNull(response);
        int blockLength = (int)BinaryPrimitives.ReadUInt32BigEndian(response.Payload);
        var block = response.Payload.AsSpan(4, blockLength).ToArray();
        // 0x09, key "retry-after" (11 bytes), value "2": no status entry, so the status is OK.
        Assert.Equal("09" + "0B" + Convert.ToHexString(Encoding.UTF8.GetBytes("retry-after")) + "01" + "32", Convert.ToHexString(block));
        Assert.NotEmpty(response.Message);
    }

    [Fact]
    public async Task FailedResponse_WithHeaders_StatusEntriesComeFirst()
    {
        await using var servers = await HopServers.StartAsync(configureBack: o => o.Interceptors.Add(new AddsHeader()));
        var back = new Uri(servers.Back.Urls.First());
        await using var raw = await RawFittenConnection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, back.Port));

        // Sleep with a 1 ms deadline and a 10 s nap: the handler is cancelled and answers DEADLINE_EXCEEDED.
        byte[] message = [0x10, 0x27, 0x00, 0x00]; // MemoryPack int 10000
        await raw.SendRequestAsync(1, "test.hop/Sleep", message, m =>
        {
            m.Add(0x02);
            RawFittenConnection.AppendVarint(m, 1000);
        });
        var response = await raw.ReadFrameAsync(FrameType.Response, TimeSpan.FromSeconds(10));

        Assert.NotNull(response);
        Assert.Equal(StatusCode.DeadlineExceeded, response.ReadStatusWithHeaders().Code);
        Assert.Equal("2", response.ReadStatusWithHeaders().Headers["retry-after"]);
    }
}
