namespace Fitten;

/// <summary>
/// Exposes a contract method over HTTP/JSON at a route of its own, besides the default
/// <c>POST /{service}/{method}</c>. Parameters named in the template (<c>{id}</c>) bind from the route; other parameters
/// of simple types (parsable, enums) bind from the query string; one remaining parameter of another type binds from
/// the JSON body (POST and PUT only). The generator checks all of this at compile time (FIT011–FIT014).
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public abstract class HttpRouteAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="httpMethod">The HTTP method, e.g. "GET".</param>
    /// <param name="template">The ASP.NET Core route template, starting with '/', e.g. "/orders/{id}".</param>
    protected HttpRouteAttribute(string httpMethod, string template)
    {
        HttpMethod = httpMethod;
        Template = template;
    }

    /// <summary>The HTTP method.</summary>
    public string HttpMethod { get; }

    /// <summary>The route template.</summary>
    public string Template { get; }
}
