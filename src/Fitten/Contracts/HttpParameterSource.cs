namespace Fitten;

/// <summary>Where a method's own HTTP route reads a parameter from.</summary>
public enum HttpParameterSource
{
    /// <summary>The JSON request body (the whole body is the parameter's value).</summary>
    Body,

    /// <summary>A route template value, e.g. <c>{id}</c>.</summary>
    Route,

    /// <summary>The query string.</summary>
    Query,
}
