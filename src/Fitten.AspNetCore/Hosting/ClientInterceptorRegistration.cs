using Fitten.Client;
using Fitten.Pipeline;
using Microsoft.Extensions.Options;

namespace Fitten.AspNetCore.Hosting;

/// <summary>
/// Puts an interceptor registered for every client (<see cref="FittenServiceCollectionExtensions.AddClientInterceptor"/>)
/// in front of each client's own interceptors, whichever way the client was added.
/// </summary>
internal sealed class ClientInterceptorRegistration(ClientInterceptor interceptor, int order)
    : IPostConfigureOptions<FittenChannelOptions>, IPostConfigureOptions<ServiceChannelOptions>
{
    public void PostConfigure(string? name, FittenChannelOptions options) => Insert(options.Interceptors);

    public void PostConfigure(string? name, ServiceChannelOptions options) => Insert(options.Channel.Interceptors);

    private void Insert(IList<ClientInterceptor> interceptors)
    {
        if (!interceptors.Contains(interceptor))
        {
            // Registration order among the shared ones, all before the client's own.
            interceptors.Insert(Math.Min(order, interceptors.Count), interceptor);
        }
    }
}
