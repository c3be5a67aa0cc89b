namespace Fitten;

/// <summary>Exposes a contract method at <c>PUT {template}</c> over HTTP/JSON (see <see cref="HttpRouteAttribute"/>).</summary>
public sealed class HttpPutAttribute : HttpRouteAttribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="template">The route template, starting with '/', e.g. "/orders/{id}".</param>
    public HttpPutAttribute(string template)
        : base("PUT", template)
    {
    }
}
