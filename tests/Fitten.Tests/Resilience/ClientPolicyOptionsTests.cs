using Fitten.Codecs;
using Fitten.Resilience;

namespace Fitten.Tests.Resilience;

/// <summary>How a method's policy is resolved (method override, contract, service, default) and what is refused.</summary>
public sealed class ClientPolicyOptionsTests
{
    private static readonly Method<byte[], byte[]> Plain = new("test.policy", "Plain", BytesMarshaller.Instance, BytesMarshaller.Instance);

    private static readonly Method<byte[], byte[]> Declared = new("test.policy", "Declared", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true)
    {
        Timeout = TimeSpan.FromSeconds(3),
    };

    [Fact]
    public void Resolve_NothingSet_Defaults()
    {
        var policy = new ClientPolicyOptions().Resolve(Plain);

        Assert.Equal((null, null, false, 3, TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250), true),
            (policy.Timeout, policy.AttemptTimeout, policy.Idempotent, policy.MaxAttempts, policy.InitialBackoff, policy.MaxBackoff, policy.RetryBudget));
    }

    [Fact]
    public void Resolve_MethodOverride_BeatsContract_ContractBeatsService()
    {
        var options = new ClientPolicyOptions { Timeout = TimeSpan.FromSeconds(1), Retry = { MaxAttempts = 2 } };

        var declared = options.Resolve(Declared);
        Assert.Equal(TimeSpan.FromSeconds(3), declared.Timeout); // the contract's, over the service's
        Assert.True(declared.Idempotent);
        Assert.Equal(2, declared.MaxAttempts);

        options.Methods["Declared"] = new CallPolicyOptions { Timeout = TimeSpan.FromMilliseconds(500), Idempotent = false, Retry = { MaxAttempts = 5 } };
        declared = options.Resolve(Declared);
        Assert.Equal((TimeSpan.FromMilliseconds(500), false, 5), (declared.Timeout, declared.Idempotent, declared.MaxAttempts));
        Assert.Equal(TimeSpan.FromSeconds(1), options.Resolve(Plain).Timeout);
    }

    [Fact]
    public void Resolve_InfiniteTimeout_MeansNone()
    {
        var options = new ClientPolicyOptions { Timeout = TimeSpan.FromSeconds(1) };
        options.Methods["Plain"] = new CallPolicyOptions { Timeout = Timeout.InfiniteTimeSpan };

        Assert.Null(options.Resolve(Plain).Timeout);
    }

    [Theory]
    [InlineData("Retry:MaxAttempts")]
    [InlineData("Methods:Plain:Retry:MaxAttempts")]
    [InlineData("Methods:Plain:AttemptTimeout")]
    [InlineData("Retry:MaxBackoff")]
    [InlineData("RetryBudget:Ratio")]
    [InlineData("Methods:not-a-name")]
    public void Validate_BadValue_NamesItsKey(string key)
    {
        var options = new ClientPolicyOptions();
        switch (key)
        {
            case "Retry:MaxAttempts": options.Retry.MaxAttempts = 0; break;
            case "Methods:Plain:Retry:MaxAttempts": options.Methods["Plain"] = new() { Retry = { MaxAttempts = 11 } }; break;
            case "Methods:Plain:AttemptTimeout": options.Methods["Plain"] = new() { AttemptTimeout = TimeSpan.Zero }; break;
            case "Retry:MaxBackoff": options.Retry.InitialBackoff = TimeSpan.FromSeconds(1); options.Retry.MaxBackoff = TimeSpan.FromMilliseconds(10); break;
            case "RetryBudget:Ratio": options.RetryBudget.Ratio = 1.5; break;
            default: options.Methods[key["Methods:".Length..]] = new(); break;
        }

        var ex = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.EndsWith(key.Split(':')[^1], ex.ParamName, StringComparison.Ordinal);
        Assert.StartsWith(key.StartsWith("RetryBudget", StringComparison.Ordinal) ? "Ratio" : key, ex.ParamName, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_SaysWhatTheClientDoes()
    {
        var text = new ClientPolicyOptions { Retry = { MaxAttempts = 1 } }.Resolve(Declared).ToString();

        Assert.Equal("test.policy/Declared: timeout 3000 ms, attempt timeout none, no retries", text);
    }

    [Fact]
    public void Hedging_OnlyForIdempotentMethods_AndReplacesTheRetryStage()
    {
        var options = new ClientPolicyOptions { Hedging = { Enabled = true, DelayQuantile = 0.99 } };

        var declared = options.Resolve(Declared);
        Assert.Equal((2, 0.99), (declared.Hedging!.MaxAttempts, declared.Hedging.DelayQuantile));
        Assert.False(declared.NeedsRetryStage);
        Assert.StartsWith("test.policy/Declared: timeout 3000 ms, attempt timeout none, hedging: up to 2 attempts, the next after the p99 latency", declared.ToString(), StringComparison.Ordinal);

        Assert.Null(options.Resolve(Plain).Hedging); // not idempotent: retried (when never processed), never hedged
        Assert.True(options.Resolve(Plain).NeedsRetryStage);
    }
}
