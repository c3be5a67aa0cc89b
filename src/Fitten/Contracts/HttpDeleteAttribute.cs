namespace Fitten;

/// <summary>Exposes a contract method at <c>DELETE {template}</c> over HTTP/JSON (see <see cref="HttpRouteAttribute"/>).</summary>
public sealed class HttpDeleteAttribute : HttpRouteAttribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="template">The route template, starting with '/', e.g. "/orders/{id}".</param>
    public HttpDeleteAttribute(string template)
        : base("DELETE", template)
    {
    }
}
