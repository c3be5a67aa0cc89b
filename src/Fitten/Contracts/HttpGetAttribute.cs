namespace Fitten;

/// <summary>Exposes a contract method at <c>GET {template}</c> over HTTP/JSON (see <see cref="HttpRouteAttribute"/>).</summary>
public sealed class HttpGetAttribute : HttpRouteAttribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="template">The route template, starting with '/', e.g. "/orders/{id}".</param>
    public HttpGetAttribute(string template)
        : base("GET", template)
    {
    }
}
