using Fitten.Client;

namespace Fitten.AspNetCore.Tests.Pipeline;

/// <summary>
/// <see cref="IHop"/>: reports <see cref="ServerCallContext.Current"/> as the handler sees it; relays to
/// <paramref name="next"/> (another process's IHop) when it has one.
/// </summary>
public sealed class Hop(IHop? next = null, ICallInvoker? nextInvoker = null) : IHop
{
    public ValueTask<HopReport> InspectAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Report());

    public async ValueTask<HopReport> RelayAsync(int sleepMilliseconds, bool ignoreContext, CancellationToken cancellationToken = default)
    {
        if (ignoreContext)
        {
            // Per-call opt-out: the raw invoker with IgnoreCallContext, through the generated method descriptor.
            return await nextInvoker!.InvokeAsync(IHopFitten.InspectAsync, default, new CallOptions { IgnoreCallContext = true });
        }

        try
        {
            return sleepMilliseconds > 0 ? await next!.SleepAsync(sleepMilliseconds, cancellationToken) : await next!.InspectAsync(cancellationToken);
        }
        catch (RpcException ex) when (sleepMilliseconds > 0)
        {
            // Say what the onward call ended with, then fail the same way so the caller sees it too.
            throw new RpcException(ex.StatusCode, "relay: " + ex.Status.Message);
        }
    }

    public async ValueTask<HopReport> SleepAsync(int milliseconds, CancellationToken cancellationToken = default)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return Report();
    }

    public ValueTask<HopReport> NapAsync(int milliseconds, CancellationToken cancellationToken = default) => SleepAsync(milliseconds, cancellationToken);

    private static HopReport Report()
    {
        var call = ServerCallContext.Current ?? throw new InvalidOperationException("No ambient call in the handler.");
        var tags = new Dictionary<string, string>();
        var chain = new Dictionary<string, string>();
        var headers = new Dictionary<string, string>();
        foreach (var entry in call.RequestHeaders)
        {
            var into = entry.Kind switch
            {
                MetadataEntryKind.Tag => tags,
                MetadataEntryKind.ChainHeader => chain,
                _ => headers,
            };
            into.TryAdd(entry.Key, entry.Value);
        }

        double remaining = call.Deadline == DateTime.MaxValue ? -1 : (call.Deadline - DateTime.UtcNow).TotalMilliseconds;
        return new HopReport(call.Method, call.Caller, remaining, tags, chain, headers);
    }
}
