namespace Fitten;

/// <summary>Per-method options of a contract method, read by the source generator.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class FittenMethodAttribute : Attribute
{
    /// <summary>
    /// The method's name on the wire and in the default HTTP route. Default: the C# name without a trailing
    /// "Async". Letters, digits and '_'.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// The client-side timeout of calls that set none, in milliseconds; it overrides the client's policy
    /// <c>Timeout</c>, and configuration's <c>Methods:{method}:Timeout</c> overrides it. 0 (the default): the client's.
    /// </summary>
    public int TimeoutMilliseconds { get; set; }
}
