using Fitten.Client;

namespace Shop.Hosting;

/// <summary>
/// Timeouts of the shop's calls to its services. They nest: orders gives up on inventory or payments well before
/// the gateway gives up on orders, so orders still has time to undo a failed step and answer.
/// </summary>
public static class ShopClients
{
    /// <summary>Calls from one service to another behind the gateway (orders to inventory and payments): 2 s.</summary>
    public static void Inner(ServiceChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Channel.DefaultTimeout = TimeSpan.FromSeconds(2);
    }

    /// <summary>Calls from the gateway: 10 s, room for orders' two inner calls and two compensating ones.</summary>
    public static void Outer(ServiceChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Channel.DefaultTimeout = TimeSpan.FromSeconds(10);
    }
}
