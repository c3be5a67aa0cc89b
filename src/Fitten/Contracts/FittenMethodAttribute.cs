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
    /// The client-side timeout of calls that set none, in milliseconds; it overrides the channel's
    /// <c>DefaultTimeout</c>. 0 (the default) means: use the channel's.
    /// </summary>
    public int TimeoutMilliseconds { get; set; }
}
