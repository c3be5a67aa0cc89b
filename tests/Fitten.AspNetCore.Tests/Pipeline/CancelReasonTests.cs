using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Pipeline;
using Fitten.Protocol;
using MemoryPack;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// A CANCEL frame says why the caller gave up (docs/protocol.md §3.3). The handler's onward calls end for the same
/// reason: a caller whose deadline passed must not turn into CANCELLED one hop further (the Shop's orders → payments
/// hop raced its own deadline timer against the gateway's cancel frame and sometimes reported CANCELLED).
/// </summary>
public sealed class CancelReasonTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Records the status each of Front's onward calls ends with.</summary>
    private sealed class OutcomeRecorder : ClientInterceptor
    {
        public BlockingCollection<StatusCode> Statuses { get; } = new();

        public override async ValueTask<CallOutcome<TResponse>> InvokeAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call, CallHandler<TRequest, TResponse> next)
        {
            var outcome = await next(call);
            Statuses.Add(outcome.Status.Code);
            return outcome;
        }
    }

    [Theory]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Cancelled)]
    public async Task CancelFrame_ItsReasonIsTheStatusOfTheHandlersOnwardCall(StatusCode reason)
    {
        var recorder = new OutcomeRecorder();
        await using var servers = await HopServers.StartAsync(configureFrontClient: o => o.Interceptors.Add(recorder));
        await using var raw = await RawFittenConnection.ConnectAsync(new IPEndPoint(IPAddress.Loopback, servers.FrontRpc.Port));

        // Relay(30 s sleep) with no deadline: only the cancel frame can end Front's onward call to Back.
        await raw.SendRequestAsync(1, "test.hop/Relay", [.. MemoryPackSerializer.Serialize(30_000), .. MemoryPackSerializer.Serialize(false)]);
        // The cancel may reach Front before or after its handler starts the onward call: either way it ends for this reason.
        var code = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(code, (uint)reason);
        await raw.SendFrameAsync(FrameType.Cancel, FrameFlags.None, 1, code);

        Assert.True(recorder.Statuses.TryTake(out var onward, Bound), "Front's onward call did not end after the cancel frame");
        Assert.Equal(reason, onward);
    }
}
