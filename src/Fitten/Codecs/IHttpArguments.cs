using System.Text.Json.Serialization.Metadata;

namespace Fitten.Codecs;

/// <summary>
/// An HTTP request as generated code sees it when it binds a method's parameters from its own route: route
/// values, query values and the JSON body. The hosting layer implements it over ASP.NET Core's HttpContext, so
/// contract assemblies need no ASP.NET Core reference.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public interface IHttpArguments
{
    /// <summary>The route value named <paramref name="name"/>, or null.</summary>
    string? GetRouteValue(string name);

    /// <summary>The first query value named <paramref name="name"/>, or null when absent.</summary>
    string? GetQueryValue(string name);

    /// <summary>The body decoded as JSON. An empty body is null when <paramref name="required"/> is false and an error otherwise.</summary>
    T? ReadBody<T>(JsonTypeInfo<T> typeInfo, bool required);
}
