using System.Threading.Tasks.Sources;
using Fitten.Codecs;
using Fitten.Pipeline;

namespace Fitten.Tests.Pipeline;

/// <summary>
/// A transport may answer with a ValueTask over a pooled source that has already completed (a pooled async method
/// that finished synchronously). Such a ValueTask may be consumed once: a stage that reads its result must not hand
/// the same ValueTask on. Each governance stage is checked with a source that refuses a second read.
/// </summary>
public sealed class CompletedSourceTests
{
    private static readonly Method<byte[], byte[]> Echo = new("test.completed", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true);

    /// <summary>Answers every call at once, through a one-shot source that throws when read twice.</summary>
    private sealed class CompletedTransport : IClientTransport
    {
        public ValueTask<CallOutcome<TResponse>> SendAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call)
        {
            var source = new OneShot<CallOutcome<TResponse>>(CallOutcome<TResponse>.Success((TResponse)(object)call.Request!));
            return new ValueTask<CallOutcome<TResponse>>(source, 0);
        }
    }

    private sealed class OneShot<T>(T result) : IValueTaskSource<T>
    {
        private int _reads;

        public T GetResult(short token)
            => Interlocked.Increment(ref _reads) == 1 ? result : throw new InvalidOperationException("Read twice: the ValueTask was consumed more than once.");

        public ValueTaskSourceStatus GetStatus(short token) => ValueTaskSourceStatus.Succeeded;

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) => continuation(state);
    }

    [Theory]
    [InlineData("retry")]
    [InlineData("fallback")]
    [InlineData("breaker")]
    [InlineData("hedging")]
    public async Task StageReadsTheOutcome_HandsOnAFreshValueTask(string stage)
    {
        var policy = new Fitten.Resilience.ClientPolicyOptions();
        switch (stage)
        {
            case "fallback": policy.AddFallback(Echo, [9]); break;
            case "breaker": policy.CircuitBreaker.Enabled = true; break;
            case "hedging": policy.Hedging.Enabled = true; break;
        }

        var pipeline = new ClientPipeline(new CompletedTransport(), policy);

        Assert.Equal([1, 2], await pipeline.InvokeAsync(Echo, [1, 2]));
        Assert.Equal([3], (await pipeline.SendAsync(Echo, [3])).Response);
    }
}
