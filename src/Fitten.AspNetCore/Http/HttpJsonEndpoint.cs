namespace Fitten.AspNetCore.Http;

/// <summary>A contract method served over HTTP/JSON: its default route and, when it has one, its own route.</summary>
internal abstract class HttpJsonEndpoint(ContractMethod descriptor, string serviceName)
{
    /// <summary>What the generator recorded about the method.</summary>
    public ContractMethod Descriptor { get; } = descriptor;

    /// <summary>The service the method belongs to.</summary>
    public string ServiceName { get; } = serviceName;

    /// <summary>The default route: <c>POST /{service}/{method}</c>.</summary>
    public string DefaultPattern => "/" + ServiceName + "/" + Descriptor.Name;

    /// <summary>Serves the default route: the body is a JSON object of every parameter.</summary>
    public abstract Task HandleDefaultAsync(Microsoft.AspNetCore.Http.HttpContext context);

    /// <summary>Serves the method's own route: route, query and body as the generator bound them.</summary>
    public abstract Task HandleRouteAsync(Microsoft.AspNetCore.Http.HttpContext context);
}
