namespace Fitten.Generator.Model
{
    /// <summary>How a contract method returns.</summary>
    internal enum ReturnKind
    {
        ValueTaskOfT,
        TaskOfT,
        ValueTask,
        Task,
    }

    /// <summary>One contract method.</summary>
    /// <param name="ClrName">The C# name, e.g. GetAsync.</param>
    /// <param name="WireName">The name on the wire, e.g. Get.</param>
    /// <param name="ResultType">The fully qualified result type (T of Task&lt;T&gt;); the Unit type for Task/ValueTask.</param>
    /// <param name="ReturnKind">Which task type it returns.</param>
    /// <param name="Parameters">The parameters that travel (all but the CancellationToken).</param>
    /// <param name="CancellationTokenName">The name of the trailing CancellationToken parameter, or null.</param>
    /// <param name="IsIdempotent">Whether it carries [Idempotent].</param>
    internal sealed record MethodModel(
        string ClrName,
        string WireName,
        ReturnKind ReturnKind,
        string ResultType,
        EquatableArray<ParameterModel> Parameters,
        string? CancellationTokenName,
        bool IsIdempotent);

    /// <summary>One parameter (the CancellationToken is not one of them).</summary>
    internal sealed record ParameterModel(string Name, string Type);
}
