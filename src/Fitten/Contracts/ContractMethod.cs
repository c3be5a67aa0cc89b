namespace Fitten;

/// <summary>One method of a contract as the generator saw it.</summary>
/// <param name="Name">The method name on the wire (the C# name without a trailing "Async").</param>
/// <param name="ClrName">The C# method name.</param>
/// <param name="IsIdempotent">Whether it carries <see cref="IdempotentAttribute"/>.</param>
public sealed record ContractMethod(string Name, string ClrName, bool IsIdempotent);
