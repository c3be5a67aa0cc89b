using System.Diagnostics;
using Fitten.Pipeline;
using Fitten.Resilience;

namespace Fitten.Tests.Resilience;

/// <summary>Which outcomes may be retried, for which methods, and after how long.</summary>
public sealed class RetryRulesTests
{
    private static readonly MethodPolicy Idempotent = new() { Method = "s/m", Idempotent = true };
    private static readonly MethodPolicy NotIdempotent = new() { Method = "s/m" };

    private static CallOutcome<int> Failed(StatusCode code, bool notProcessed = false, string? pushback = null)
        => CallOutcome<int>.Failure(code, "x", notProcessed, pushback is null ? null : new Metadata().Add(FittenHeaders.RetryPushbackMs, pushback));

    private static bool May(CallOutcome<int> outcome, MethodPolicy policy, long deadline = long.MaxValue, CancellationToken token = default)
        => RetryRules.MayRetry(outcome, policy, deadline, token, out _);

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.Internal, false)]
    [InlineData(StatusCode.Cancelled, false)]
    public void NotProcessed_RetriedForAnyMethod(StatusCode code, bool retried)
        => Assert.Equal(retried, May(Failed(code, notProcessed: true), NotIdempotent));

    [Theory]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.ResourceExhausted, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.NotFound, false)]
    [InlineData(StatusCode.Internal, false)]
    [InlineData(StatusCode.OK, false)]
    public void Processed_RetriedOnlyWhenIdempotent(StatusCode code, bool retriedIfIdempotent)
    {
        var outcome = code == StatusCode.OK ? CallOutcome<int>.Success(1) : Failed(code);

        Assert.Equal(retriedIfIdempotent, May(outcome, Idempotent));
        Assert.False(May(outcome, NotIdempotent));
    }

    [Fact]
    public void ResourceExhausted_WithHint_RetriedForIdempotent_AfterTheHint()
    {
        var outcome = Failed(StatusCode.ResourceExhausted, pushback: "120");

        Assert.True(May(outcome, Idempotent));
        Assert.False(May(outcome, NotIdempotent));
        Assert.Equal(TimeSpan.FromMilliseconds(120), RetryRules.Delay(outcome, Idempotent, 1));
        Assert.Null(RetryRules.Delay(Failed(StatusCode.ResourceExhausted, pushback: "-5"), Idempotent, 1));
        Assert.Null(RetryRules.Delay(Failed(StatusCode.ResourceExhausted, pushback: "soon"), Idempotent, 1));
    }

    [Fact]
    public void CallerCancelled_OrDeadlinePassed_NeverRetried()
    {
        var outcome = Failed(StatusCode.Unavailable, notProcessed: true);

        Assert.False(May(outcome, Idempotent, token: new CancellationToken(canceled: true)));
        Assert.False(May(outcome, Idempotent, deadline: Stopwatch.GetTimestamp() - 1));
    }

    [Fact]
    public void Delay_NotProcessedFirstRetryAtOnce_ThenFullJitterWithinTheCap()
    {
        Assert.Equal(TimeSpan.Zero, RetryRules.Delay(Failed(StatusCode.Unavailable, notProcessed: true), Idempotent, 1));
        for (int retry = 1; retry <= 6; retry++)
        {
            var cap = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(250).Ticks, TimeSpan.FromMilliseconds(25).Ticks << (retry - 1)));
            var delay = RetryRules.Delay(Failed(StatusCode.Unavailable), Idempotent, retry);
            Assert.InRange(delay!.Value, TimeSpan.Zero, cap);
        }
    }
}
