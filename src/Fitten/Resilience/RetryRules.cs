using System.Globalization;
using Fitten.Internal;
using Fitten.Pipeline;

namespace Fitten.Resilience;

/// <summary>Which failed calls may be sent again, and after how long (the rules <see cref="RetryOptions"/> documents).</summary>
internal static class RetryRules
{
    public const string NotProcessed = "not_processed";
    public const string Unavailable = "unavailable";
    public const string AttemptTimeout = "attempt_timeout";
    public const string RetryAfter = "retry_after";

    /// <summary>
    /// Whether <paramref name="outcome"/> may be retried under <paramref name="policy"/> (the budget aside), and why
    /// (<paramref name="reason"/>, a metric attribute): never once the caller cancelled or the call's deadline passed.
    /// </summary>
    public static bool MayRetry<TResponse>(in CallOutcome<TResponse> outcome, MethodPolicy policy, long deadline, CancellationToken cancellationToken, out string reason)
    {
        reason = string.Empty;
        var code = outcome.Status.Code;
        if (code is StatusCode.OK or StatusCode.Cancelled || cancellationToken.IsCancellationRequested
            || (deadline != long.MaxValue && Deadline.Remaining(deadline) == TimeSpan.Zero)
            || outcome.ResponseHeaders?.GetValue(FittenHeaders.CircuitOpen) is not null
            || outcome.ResponseHeaders?.GetValue(FittenHeaders.RequestTooLarge) is not null)
        {
            return false;
        }

        if (code == StatusCode.ResourceExhausted && outcome.ResponseHeaders?.GetValue(FittenHeaders.RetryPushbackMs) is not null)
        {
            // The server said when to come back; only an idempotent method may come back after it may have run.
            reason = RetryAfter;
            return outcome.NotProcessed || policy.Idempotent;
        }

        if (outcome.NotProcessed)
        {
            // Never ran: refused (going away, or over the connection's concurrency limit), not written, its connection
            // or instance unreachable, or out of its attempt's time before it was sent. Safe for any method. A request
            // the client could not encode would fail again the same way.
            reason = NotProcessed;
            return code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;
        }

        if (!policy.Idempotent)
        {
            return false;
        }

        reason = code switch
        {
            StatusCode.Unavailable => Unavailable,
            StatusCode.DeadlineExceeded => AttemptTimeout, // the call has time left, so it was this attempt's timeout
            _ => string.Empty,
        };
        return reason.Length > 0;
    }

    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 for the first), or null when the server asked not to
    /// be retried: its retry-after hint when it gave one; none before the first retry of a call never processed;
    /// else full jitter (a random wait up to the capped exponential backoff).
    /// </summary>
    public static TimeSpan? Delay<TResponse>(in CallOutcome<TResponse> outcome, MethodPolicy policy, int retry)
    {
        if (outcome.ResponseHeaders?.GetValue(FittenHeaders.RetryPushbackMs) is { } hint)
        {
            return long.TryParse(hint, NumberStyles.None, CultureInfo.InvariantCulture, out long ms) && ms <= (long)TimeSpan.FromDays(1).TotalMilliseconds
                ? TimeSpan.FromMilliseconds(ms)
                : null;
        }

        if (outcome.NotProcessed && retry == 1)
        {
            return TimeSpan.Zero;
        }

        return Backoff.FullJitter(policy.InitialBackoff, policy.MaxBackoff, retry, Random.Shared.NextDouble());
    }
}
