using Fitten.Codecs;

namespace Fitten;

/// <summary>One method of a contract as the generator saw it.</summary>
/// <param name="Name">The method name on the wire (the C# name without a trailing "Async", or <c>[FittenMethod(Name)]</c>).</param>
/// <param name="ClrName">The C# method name.</param>
/// <param name="IsIdempotent">Whether it carries <see cref="IdempotentAttribute"/>.</param>
public sealed record ContractMethod(string Name, string ClrName, bool IsIdempotent)
{
    /// <summary>The method's own HTTP route (<c>[HttpGet]</c>, …), or null when it has only the default one.</summary>
    public HttpRoute? Route { get; init; }

    /// <summary>The parameters that travel (the CancellationToken is not one), in order.</summary>
    public IReadOnlyList<ContractParameter> Parameters { get; init; } = [];

    /// <summary>The client-side timeout the contract declares (<c>[FittenMethod(TimeoutMilliseconds)]</c>), or null.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The result type; <see cref="Unit"/> for methods returning <c>Task</c> or <c>ValueTask</c>.</summary>
    public Type ResultType { get; init; } = typeof(Unit);
}
