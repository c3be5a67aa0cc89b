namespace Fitten.Resilience;

/// <summary>
/// The policy of one client's calls: the service-wide settings (this object's own properties), overrides per
/// method (<see cref="Methods"/>) and the client's retry budget. Bound from the client's configuration section,
/// <c>Fitten:Clients:{service}</c>:
/// <code>
/// "Fitten": { "Clients": { "shop.inventory": {
///   "Timeout": "00:00:02", "Retry": { "MaxAttempts": 3 },
///   "Methods": { "GetStock": { "AttemptTimeout": "00:00:00.300", "Idempotent": true } } } } }
/// </code>
/// </summary>
public sealed class ClientPolicyOptions : CallPolicyOptions
{
    /// <summary>
    /// Overrides for single methods, by method name (<see cref="Method{TRequest, TResponse}.Name"/>, compared ignoring
    /// case, as configuration keys are); unset values come from the service's.
    /// </summary>
    public IDictionary<string, CallPolicyOptions> Methods { get; } = new Dictionary<string, CallPolicyOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The share of calls this client may retry.</summary>
    public RetryBudgetOptions RetryBudget { get; } = new();

    private readonly Dictionary<string, object> _fallbacks = new(StringComparer.Ordinal);

    /// <summary>
    /// Has <paramref name="fallback"/> answer <paramref name="method"/>'s calls that fail because its circuit breaker
    /// is open, the retry budget was spent, or their time ran out; the caller gets its answer as a success, marked
    /// <see cref="FittenHeaders.Fallback"/> in the outcome's response headers. Replaces an earlier fallback of the method.
    /// </summary>
    public ClientPolicyOptions AddFallback<TRequest, TResponse>(Method<TRequest, TResponse> method, CallFallback<TRequest, TResponse> fallback)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(fallback);
        lock (_fallbacks)
        {
            _fallbacks[method.Name] = fallback;
        }

        return this;
    }

    /// <summary>Has <paramref name="value"/> answer <paramref name="method"/>'s calls in the same cases (a static fallback).</summary>
    public ClientPolicyOptions AddFallback<TRequest, TResponse>(Method<TRequest, TResponse> method, TResponse value)
        => AddFallback(method, (_, _) => new ValueTask<TResponse>(value));

    /// <summary>The fallback registered for <paramref name="method"/>, or null.</summary>
    internal CallFallback<TRequest, TResponse>? GetFallback<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        lock (_fallbacks)
        {
            return _fallbacks.TryGetValue(method.Name, out var fallback) ? fallback as CallFallback<TRequest, TResponse> : null;
        }
    }

    /// <summary>Whether a fallback is registered for the method named <paramref name="name"/>.</summary>
    internal bool HasFallback(string name)
    {
        lock (_fallbacks)
        {
            return _fallbacks.ContainsKey(name);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the configuration key (relative to the client's section) of a value out of range.</summary>
    public void Validate()
    {
        Validate(string.Empty);
        RetryBudget.Validate();
        foreach (var (name, method) in Methods)
        {
            if (!MethodNames.IsValidMethodName(name))
            {
                throw new ArgumentException($"'{name}' is not a method name (letters, digits and '_').", "Methods:" + name);
            }

            (method ?? throw new ArgumentException("A method's policy is null.", "Methods:" + name)).Validate("Methods:" + name + ":");
        }
    }

    /// <summary>
    /// The effective policy of <paramref name="method"/>: for each setting, the method's override, else what the
    /// contract declares, else this service's setting, else the default.
    /// </summary>
    public MethodPolicy Resolve<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return Resolve(method.FullName, method.Name, method.Timeout, method.IsIdempotent);
    }

    /// <summary>The effective policy of every method of <paramref name="contract"/>, in the contract's order: what to print to see what a client will do.</summary>
    public IReadOnlyList<MethodPolicy> Describe(FittenContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return [.. contract.Methods.Select(m => Resolve(contract.ServiceName + "/" + m.Name, m.Name, m.Timeout, m.IsIdempotent))];
    }

    internal static CircuitBreakerPolicy? ResolveBreaker(CircuitBreakerOptions? own, CircuitBreakerOptions service)
    {
        if (!(own?.Enabled ?? service.Enabled ?? false))
        {
            return null;
        }

        var defaults = new CircuitBreakerPolicy();
        var breakDuration = own?.BreakDuration ?? service.BreakDuration ?? defaults.BreakDuration;
        var codes = own is { FailureStatusCodes.Count: > 0 } ? own.FailureStatusCodes : service.FailureStatusCodes;
        return new CircuitBreakerPolicy
        {
            FailureRatio = own?.FailureRatio ?? service.FailureRatio ?? defaults.FailureRatio,
            MinimumThroughput = own?.MinimumThroughput ?? service.MinimumThroughput ?? defaults.MinimumThroughput,
            SlowCallThreshold = own?.SlowCallThreshold ?? service.SlowCallThreshold,
            SlowCallP95Multiple = own?.SlowCallP95Multiple ?? service.SlowCallP95Multiple,
            SlowCallRatio = own?.SlowCallRatio ?? service.SlowCallRatio ?? defaults.SlowCallRatio,
            BreakDuration = breakDuration,
            MaxBreakDuration = TimeSpan.FromTicks(Math.Max(breakDuration.Ticks, (own?.MaxBreakDuration ?? service.MaxBreakDuration ?? defaults.MaxBreakDuration).Ticks)),
            HalfOpenProbes = own?.HalfOpenProbes ?? service.HalfOpenProbes ?? defaults.HalfOpenProbes,
            FailureStatusCodes = codes.Count > 0 ? [.. codes.Distinct()] : defaults.FailureStatusCodes,
        };
    }

    internal MethodPolicy Resolve(string fullName, string name, TimeSpan? declaredTimeout, bool declaredIdempotent)
    {
        Methods.TryGetValue(name, out var own);
        var retry = own?.Retry;
        bool idempotent = own?.Idempotent ?? (declaredIdempotent || (Idempotent ?? false));
        var initial = retry?.InitialBackoff ?? Retry.InitialBackoff ?? MethodPolicy.DefaultInitialBackoff;
        return new MethodPolicy
        {
            Method = fullName,
            Timeout = Finite(own?.Timeout ?? declaredTimeout ?? Timeout),
            AttemptTimeout = Finite(own?.AttemptTimeout ?? AttemptTimeout),
            Idempotent = idempotent,
            MaxAttempts = retry?.MaxAttempts ?? Retry.MaxAttempts ?? RetryOptions.DefaultMaxAttempts,
            InitialBackoff = initial,
            MaxBackoff = TimeSpan.FromTicks(Math.Max(initial.Ticks, (retry?.MaxBackoff ?? Retry.MaxBackoff ?? MethodPolicy.DefaultMaxBackoff).Ticks)),
            RetryBudget = RetryBudget.Enabled,
            CircuitBreaker = ResolveBreaker(own?.CircuitBreaker, CircuitBreaker),
            HasFallback = HasFallback(name),
            Hedging = idempotent && (own?.Hedging.Enabled ?? Hedging.Enabled ?? false)
                ? new HedgingPolicy
                {
                    MaxAttempts = own?.Hedging.MaxAttempts ?? Hedging.MaxAttempts ?? 2,
                    Delay = own?.Hedging.Delay ?? Hedging.Delay ?? TimeSpan.FromMilliseconds(100),
                    DelayQuantile = own?.Hedging.DelayQuantile ?? Hedging.DelayQuantile,
                }
                : null,
        };

        static TimeSpan? Finite(TimeSpan? timeout) => timeout == System.Threading.Timeout.InfiniteTimeSpan ? null : timeout;
    }
}
