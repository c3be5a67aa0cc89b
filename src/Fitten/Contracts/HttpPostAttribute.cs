namespace Fitten;

/// <summary>Exposes a contract method at <c>POST {template}</c> over HTTP/JSON (see <see cref="HttpRouteAttribute"/>).</summary>
public sealed class HttpPostAttribute : HttpRouteAttribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="template">The route template, starting with '/', e.g. "/orders/{id}".</param>
    public HttpPostAttribute(string template)
        : base("POST", template)
    {
    }
}
