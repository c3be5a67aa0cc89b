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
    /// <summary>Overrides for single methods, by method name (<see cref="Method{TRequest, TResponse}.Name"/>); unset values come from the service's.</summary>
    public IDictionary<string, CallPolicyOptions> Methods { get; } = new Dictionary<string, CallPolicyOptions>(StringComparer.Ordinal);

    /// <summary>The share of calls this client may retry.</summary>
    public RetryBudgetOptions RetryBudget { get; } = new();

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

    internal MethodPolicy Resolve(string fullName, string name, TimeSpan? declaredTimeout, bool declaredIdempotent)
    {
        Methods.TryGetValue(name, out var own);
        var retry = own?.Retry;
        var initial = retry?.InitialBackoff ?? Retry.InitialBackoff ?? MethodPolicy.DefaultInitialBackoff;
        return new MethodPolicy
        {
            Method = fullName,
            Timeout = Finite(own?.Timeout ?? declaredTimeout ?? Timeout),
            AttemptTimeout = Finite(own?.AttemptTimeout ?? AttemptTimeout),
            Idempotent = own?.Idempotent ?? (declaredIdempotent || (Idempotent ?? false)),
            MaxAttempts = retry?.MaxAttempts ?? Retry.MaxAttempts ?? RetryOptions.DefaultMaxAttempts,
            InitialBackoff = initial,
            MaxBackoff = TimeSpan.FromTicks(Math.Max(initial.Ticks, (retry?.MaxBackoff ?? Retry.MaxBackoff ?? MethodPolicy.DefaultMaxBackoff).Ticks)),
            RetryBudget = RetryBudget.Enabled,
        };

        static TimeSpan? Finite(TimeSpan? timeout) => timeout == System.Threading.Timeout.InfiniteTimeSpan ? null : timeout;
    }
}
