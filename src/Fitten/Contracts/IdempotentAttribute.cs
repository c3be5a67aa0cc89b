namespace Fitten;

/// <summary>
/// Marks a contract method as safe to run more than once with the same arguments, so clients may retry or hedge
/// it after a failure that may have reached the server. Without it, only calls the server provably never
/// processed are sent again.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IdempotentAttribute : Attribute
{
}
