using System.Diagnostics;
using Fitten.Codecs;
using Fitten.Pipeline;
using Fitten.Resilience;

namespace Fitten.Tests.Resilience;

/// <summary>Defects an adversarial review of client governance found, each pinned by a test.</summary>
public sealed class ReviewFindingsTests
{
    private static readonly Method<byte[], byte[]> Echo = new("test.review", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true);

    /// <summary>Answers every attempt with UNAVAILABLE (the server may have run it), counting attempts.</summary>
    private sealed class FailingTransport : IClientTransport
    {
        public int Attempts;

        public ValueTask<CallOutcome<TResponse>> SendAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call)
        {
            Interlocked.Increment(ref Attempts);
            return new(CallOutcome<TResponse>.Failure(StatusCode.Unavailable, "down"));
        }
    }

    [Fact]
    public void RecentLatencies_EnoughSamples_GiveAQuantile()
    {
        var latencies = new RecentLatencies(0.95);
        for (int i = 1; i <= 100; i++)
        {
            latencies.Record(i);
        }

        Assert.Equal(95, latencies.Quantile);
    }

    [Fact]
    public async Task RetryBudget_ChargedOnlyForRetriesMade_NotAfterTheLastAttempt()
    {
        // A floor of 10 retries over the window and no ratio: 20 calls of two attempts each may make 10 retries.
        var transport = new FailingTransport();
        var policy = new ClientPolicyOptions { Retry = { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(1) }, RetryBudget = { Ratio = 0, MinRetriesPerSecond = 1 } };
        var pipeline = new ClientPipeline(transport, policy);

        var first = await pipeline.SendAsync(Echo, [1]);
        for (int i = 1; i < 20; i++)
        {
            await pipeline.SendAsync(Echo, [1]);
        }

        Assert.Null(first.ResponseHeaders?.GetValue(FittenHeaders.RetryBudgetExhausted)); // it used both its attempts
        Assert.Equal(20 + 10, transport.Attempts);
    }

    [Fact]
    public async Task Fallback_ThatRethrowsTheFailure_EndsAsAnOutcome_NotAnException()
    {
        var policy = new ClientPolicyOptions { Retry = { MaxAttempts = 1 } };
        policy.AddFallback(Echo, (_, failure) => throw failure.ToException());
        var pipeline = new ClientPipeline(new DeadlineTransport(), policy);

        var outcome = await pipeline.SendAsync(Echo, [1]);

        Assert.Equal(StatusCode.DeadlineExceeded, outcome.Status.Code);
    }

    [Fact]
    public void MethodOverrides_MatchTheMethodNameIgnoringCase_AsConfigurationKeysDo()
    {
        var policy = new ClientPolicyOptions();
        policy.Methods["echo"] = new CallPolicyOptions { Retry = { MaxAttempts = 5 } };

        Assert.Equal(5, policy.Resolve(Echo).MaxAttempts);
    }

    /// <summary>Answers every attempt with DEADLINE_EXCEEDED: a call whose time ran out, which a fallback answers.</summary>
    private sealed class DeadlineTransport : IClientTransport
    {
        public ValueTask<CallOutcome<TResponse>> SendAsync<TRequest, TResponse>(OutgoingCall<TRequest, TResponse> call)
            => new(CallOutcome<TResponse>.Failure(StatusCode.DeadlineExceeded, "late"));
    }
}
