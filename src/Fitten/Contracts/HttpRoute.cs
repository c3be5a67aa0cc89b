namespace Fitten;

/// <summary>A contract method's own HTTP route.</summary>
/// <param name="HttpMethod">"GET", "POST", "PUT" or "DELETE".</param>
/// <param name="Template">The ASP.NET Core route template, e.g. "/orders/{id}".</param>
public sealed record HttpRoute(string HttpMethod, string Template);
