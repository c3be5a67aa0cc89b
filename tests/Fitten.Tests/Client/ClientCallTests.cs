using Fitten.Client;

namespace Fitten.Tests.Client;

/// <summary>
/// A resend (after a goaway refused the call unprocessed) must not encode into the buffer an earlier connection's
/// writer may still be sending from: the earlier frame would go out torn, or carry another call's bytes once the
/// array is back in the pool.
/// </summary>
public sealed class ClientCallTests
{
    [Fact]
    public void BeginEncoding_AWriterStillHoldsTheRefusedAttempt_ResendGetsAnotherBuffer_TheQueuedBytesStay()
    {
        var call = ClientCall.Rent();
        call.BeginEncoding();
        call.Request.Write([1, 2, 3, 4]);
        var queued = call.Request; // what the first connection's queue item captured
        call.AddReference();       // its writer has not copied it yet

        call.BeginEncoding();      // the resend, on another connection
        call.Request.Write([9, 9]);

        Assert.NotSame(queued, call.Request);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, queued.WrittenSpan.ToArray());
        call.Release(); // the writer lets go
        call.Release(); // the caller
    }

    [Fact]
    public void BeginEncoding_NoWriterHoldsTheCall_ReusesItsBuffer()
    {
        var call = ClientCall.Rent();
        call.BeginEncoding();
        call.Request.Write([1, 2, 3, 4]);
        var first = call.Request;

        call.BeginEncoding();

        Assert.Same(first, call.Request);
        Assert.Equal(0, call.Request.WrittenCount);
        call.Release();
    }
}
