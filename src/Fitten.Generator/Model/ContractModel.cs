namespace Fitten.Generator.Model
{
    /// <summary>Everything the emitter needs about one contract; equatable so unchanged contracts are not regenerated.</summary>
    internal sealed record ContractModel(
        string? Namespace,
        string InterfaceName,
        string InterfaceFullName,
        string ServiceName,
        EquatableArray<MethodModel> Methods,
        EquatableArray<DiagnosticModel> Diagnostics);
}
