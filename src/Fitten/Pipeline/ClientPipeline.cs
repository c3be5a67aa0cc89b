using System.Runtime.CompilerServices;
using Fitten.Client;
using Fitten.Pipeline.Stages;
using Fitten.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Fitten.Pipeline;

/// <summary>
/// Makes calls through a client's stages and its transport. The stages are composed once per method, on the
/// method's first call, into a chain of <see cref="CallHandler{TRequest, TResponse}"/>s; later calls look the chain
/// up by the method's index and run it. Thread-safe. <see cref="FittenChannel"/>, <see cref="ServiceChannel"/> and
/// the clients <c>AddClient</c> registers each own one.
/// </summary>
public sealed class ClientPipeline : ICallInvoker
{
    private readonly IClientTransport _transport;
    private readonly ClientInterceptor[] _stages;
    private readonly ClientPolicyOptions _policy;
    private readonly IResponseTransport? _shortcut;
    private readonly Lock _lock = new();
    private object?[] _chains = new object?[32];

    /// <summary>Composes the pipeline: Fitten's stages in their fixed order, with <paramref name="interceptors"/> in the user slot.</summary>
    /// <param name="transport">The last stage: a <see cref="FittenChannel"/>, a <see cref="ServiceChannel"/> or another transport.</param>
    /// <param name="policy">Timeouts and retries, per service and per method; validated here. Read once per method, when its chain is composed.</param>
    /// <param name="interceptors">The user's interceptors, outermost first.</param>
    /// <param name="loggerFactory">Where the governance stages log (circuit breaker transitions; category <c>Fitten.Client.Governance</c>).</param>
    public ClientPipeline(IClientTransport transport, ClientPolicyOptions policy, IEnumerable<ClientInterceptor>? interceptors = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        _transport = transport;
        _policy = policy;
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger(CircuitBreakerStage.LogCategory);
        _stages = Compose(policy, new RetryBudget(policy.RetryBudget), logger, interceptors ?? []);

        // Without user interceptors, a call the telemetry stage does not observe and that serves no inbound call needs
        // no stage that waits between the caller and the transport: what its method's built-in stages do (deadline,
        // breaker, the decision to retry) the transport can do inline, ending the call in the caller's response
        // through its one body (no state machine per stage, no boundary object). A method with a fallback, hedging
        // or an attempt timeout keeps the chain (see Build).
        _shortcut = _stages.Length == BuiltInStages && transport is IResponseTransport shortcut ? shortcut : null;
    }

    /// <summary>Telemetry, deadline, fallback, retry, hedging and circuit breaker: the stages every pipeline has.</summary>
    private const int BuiltInStages = 6;

    /// <summary>The stages in the order a call passes them (the transport comes after the last), for diagnostics.</summary>
    public IReadOnlyList<ClientInterceptor> Stages => _stages;

    /// <summary>
    /// THE order of the client's stages, written once. A call passes them top to bottom, then the transport:
    /// <list type="number">
    /// <item>telemetry: the client span and metrics see the whole call, every stage's time and outcome included;</item>
    /// <item>deadline: turns the timeout (call, method, then default) into one absolute deadline, never later than
    ///   the inbound call's, so everything below shares it and nothing below can extend it;</item>
    /// <item>the user's interceptors: once per call, inside its span and deadline, before any retry;</item>
    /// <item>fallback: answers in the server's place when the breaker refused the call, the budget left it failed or
    ///   its time ran out; outside the retry, so it sees the last attempt's outcome;</item>
    /// <item>retry: the one retry loop (calls never processed, and idempotent methods' safe failures), with the
    ///   budget, chain stop and the per-attempt timeout; each attempt runs the stages below it again;</item>
    /// <item>hedging, for a method that hedges instead of retrying: backup attempts after a delay, each on another
    ///   instance, the first answer wins and the others are cancelled;</item>
    /// <item>method circuit breaker: per attempt, so a retry meets an open breaker too and is not sent;</item>
    /// <item>(client governance adds here: hedge beside retry, fault injection, route; the balancer pick and the
    ///   instance breaker live in <see cref="ServiceChannel"/>, the transport, which avoids the instance a retried
    ///   attempt failed on)</item>
    /// </list>
    /// Stages that do not apply are absent, not disabled: an empty slot costs nothing per call, and a built-in stage
    /// with nothing to do for a method (no retries, no attempt timeout) hands that method's calls straight on.
    /// </summary>
    private static ClientInterceptor[] Compose(ClientPolicyOptions policy, RetryBudget budget, ILogger logger, IEnumerable<ClientInterceptor> interceptors)
    {
        var stages = new List<ClientInterceptor>
        {
            TelemetryStage.Instance,
            new DeadlineStage(policy),
        };
        foreach (var interceptor in interceptors)
        {
            stages.Add(interceptor ?? throw new ArgumentException("An interceptor is null.", nameof(interceptors)));
        }

        stages.Add(new FallbackStage(policy));
        stages.Add(new RetryStage(policy, budget));
        stages.Add(new HedgingStage(policy, budget));
        stages.Add(new CircuitBreakerStage(policy, logger));
        return [.. stages];
    }

    /// <summary>The effective policy of <paramref name="method"/>'s calls through this pipeline (what its chain was composed with).</summary>
    public MethodPolicy GetPolicy<TRequest, TResponse>(Method<TRequest, TResponse> method) => GetChain(method).Policy;

    /// <summary>
    /// Makes a unary call: completes with the response or throws <see cref="RpcException"/> with the call's status.
    /// Made while serving a call, it inherits that call's deadline, tags and chain headers unless
    /// <see cref="CallOptions.IgnoreCallContext"/> is set.
    /// </summary>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        var chain = GetChain(method);
        var inbound = options.IgnoreCallContext ? null : ServerCallContext.Current;
        var call = new OutgoingCall<TRequest, TResponse>(method, request, options, inbound);
        if (inbound is null && chain.Shortcut is { } shortcut && !TelemetryStage.Listening && DeadlineStage.TrySetDeadline(ref call, chain.TimeoutTicks, out _))
        {
            // What the chain would do, without its steps: the telemetry stage would hand the call on, the deadline stage
            // has set the deadline (one already passed takes the chain, which reports it), the transport answers.
            return shortcut(call, chain.Inline);
        }

        // The call being served must stay what it is until this call is done with it, even when its handler returns
        // first (a call started and not awaited): the transport reads its tags, caller and cancellation later.
        inbound?.Retain();
        ValueTask<CallOutcome<TResponse>> pending;
        try
        {
            pending = chain.Handler(call);
        }
        catch
        {
            inbound?.Release();
            throw;
        }

        if (!pending.IsCompletedSuccessfully)
        {
            return ResponseSource<TResponse>.Wrap(pending, inbound);
        }

        // A failure known at once (no time left, a disposed channel) still travels in the ValueTask, never thrown at
        // the call site: code that starts calls first and awaits them later (Task.WhenAll) sees it where it awaits.
        inbound?.Release();
        var outcome = pending.Result;
        return outcome.IsOk ? new ValueTask<TResponse>(outcome.Response!) : ValueTask.FromException<TResponse>(outcome.ToException());
    }

    /// <summary>Runs a call through the pipeline and returns its outcome as a value (no exception for a failed call).</summary>
    public ValueTask<CallOutcome<TResponse>> SendAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
    {
        var handler = GetChain(method).Handler;
        var inbound = options.IgnoreCallContext ? null : ServerCallContext.Current;
        if (inbound is null)
        {
            return handler(new OutgoingCall<TRequest, TResponse>(method, request, options, null));
        }

        // The call being served must stay what it is until this call is done with it, even when its handler returns
        // first (a call started and not awaited): the transport reads its tags, caller and cancellation later.
        inbound.Retain();
        ValueTask<CallOutcome<TResponse>> pending;
        try
        {
            pending = handler(new OutgoingCall<TRequest, TResponse>(method, request, options, inbound));
        }
        catch
        {
            inbound.Release();
            throw;
        }

        if (pending.IsCompleted)
        {
            inbound.Release();
            return pending;
        }

        return ReleaseWhenDone(pending, inbound);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<CallOutcome<TResponse>> ReleaseWhenDone<TResponse>(ValueTask<CallOutcome<TResponse>> pending, ServerCallContext inbound)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            inbound.Release();
        }
    }

    /// <summary>The method's composed chain: built on its first call through this pipeline, then an array read.</summary>
    private MethodChain<TRequest, TResponse> GetChain<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var chains = Volatile.Read(ref _chains);
        int id = method.Id;
        if ((uint)id < (uint)chains.Length && chains[id] is MethodChain<TRequest, TResponse> chain)
        {
            return chain;
        }

        return Build(method);
    }

    private MethodChain<TRequest, TResponse> Build<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        lock (_lock)
        {
            var chains = _chains;
            if (method.Id < chains.Length && chains[method.Id] is MethodChain<TRequest, TResponse> built)
            {
                return built;
            }

            var policy = _policy.Resolve(method);
            var inline = new InlineGovernance<TRequest, TResponse>();
            bool inlineable = _shortcut is not null;
            CallHandler<TRequest, TResponse> handler = _transport.SendAsync;
            for (int i = _stages.Length - 1; i >= 0; i--)
            {
                var stage = _stages[i];
                var next = handler;
                handler = stage is IComposedClientStage composed ? composed.Compose(method, policy, next) : call => stage.InvokeAsync(call, next);

                // A stage with work for this method either does it inline on the shortcut or keeps the method on the chain.
                if (!ReferenceEquals(handler, next) && inlineable)
                {
                    inlineable = handler.Target is IInlineStage<TRequest, TResponse> stageInline && stageInline.Contribute(inline);
                }
            }

            if (method.Id >= chains.Length)
            {
                Array.Resize(ref chains, Math.Max(chains.Length * 2, method.Id + 1));
            }

            // The shortcut is bound here, once: called through the interface, its generic method is looked up per call.
            var chain = new MethodChain<TRequest, TResponse>(
                handler, inlineable ? _shortcut!.SendForResponseAsync : null, inline.IsEmpty ? null : inline, DeadlineStage.Ticks(policy.Timeout), policy);
            chains[method.Id] = chain;
            Volatile.Write(ref _chains, chains);
            return chain;
        }
    }

    /// <summary>A method's composed stages, and the shortcut past them with the method's timeout (see the constructor).</summary>
    private sealed class MethodChain<TRequest, TResponse>(
        CallHandler<TRequest, TResponse> handler,
        Func<OutgoingCall<TRequest, TResponse>, InlineGovernance<TRequest, TResponse>?, ValueTask<TResponse>>? shortcut,
        InlineGovernance<TRequest, TResponse>? inline,
        long timeoutTicks,
        MethodPolicy policy)
    {
        /// <summary>What the transport does inline for this method on the shortcut (breaker, retry); null for nothing.</summary>
        public InlineGovernance<TRequest, TResponse>? Inline { get; } = inline;

        public MethodPolicy Policy { get; } = policy;

        public CallHandler<TRequest, TResponse> Handler { get; } = handler;

        public Func<OutgoingCall<TRequest, TResponse>, InlineGovernance<TRequest, TResponse>?, ValueTask<TResponse>>? Shortcut { get; } = shortcut;

        public long TimeoutTicks { get; } = timeoutTicks;
    }
}
