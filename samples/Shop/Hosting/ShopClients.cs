using Fitten.Client;

namespace Shop.Hosting;

/// <summary>
/// The shop's client settings. Only the gateway sets a timeout: it is the deadline of a request that came without
/// a <c>fitten-timeout</c> header. Every call behind it (orders to inventory and payments) inherits what is left of
/// that deadline through the call context, so a request that runs out of time fails at every hop at once instead
/// of each hop waiting out a timeout of its own.
/// </summary>
public static class ShopClients
{
    /// <summary>The gateway's default deadline for a request that names none: 10 s.</summary>
    public static readonly TimeSpan GatewayDeadline = TimeSpan.FromSeconds(10);

    /// <summary>Calls from the gateway: <see cref="GatewayDeadline"/> unless the HTTP request set a shorter one.</summary>
    public static void Gateway(ServiceChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Channel.Policy.Timeout = GatewayDeadline;
    }
}
