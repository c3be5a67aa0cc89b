using System.ComponentModel;

namespace Fitten.Client;

/// <summary>Per-call options for generated clients, without giving up the plain contract interface.</summary>
public static class FittenClients
{
    /// <summary>
    /// A client of the same service whose calls use <paramref name="options"/> (timeout, headers, tags, hash key,
    /// codec, <see cref="CallOptions.IgnoreCallContext"/>): <c>orders.WithCallOptions(new() { Timeout = … }).GetAsync(id)</c>.
    /// Cheap (one small object, sharing the connection); keep it for repeated calls with the same options. A
    /// method's own cancellation token, when it can be cancelled, takes the place of the options' token.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="client"/> is not a client Fitten generated.</exception>
    public static TContract WithCallOptions<TContract>(this TContract client, CallOptions options)
        where TContract : class
    {
        ArgumentNullException.ThrowIfNull(client);
        return client is IFittenClient generated
            ? (TContract)generated.WithCallOptions(options)
            : throw new ArgumentException($"{client.GetType()} is not a client Fitten generated; per-call options need one (AddClient<{typeof(TContract).Name}> or FittenContracts.Get<{typeof(TContract).Name}>().CreateClient).", nameof(client));
    }

    /// <summary>For generated code: the client's options with a method's cancellation token.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static CallOptions WithToken(in CallOptions options, CancellationToken cancellationToken)
        => cancellationToken.CanBeCanceled ? options with { CancellationToken = cancellationToken } : options;
}
