using Fitten.Client;

namespace Fitten;

/// <summary>
/// What the source generator knows about one contract interface: its service name and methods, how to make a
/// client for it and how to bind an implementation to a server. One instance per contract, registered by
/// generated code at module load (<see cref="FittenContracts"/>).
/// </summary>
public abstract class FittenContract
{
    /// <summary>The contract interface.</summary>
    public abstract Type ContractType { get; }

    /// <summary>The service name on the wire.</summary>
    public abstract string ServiceName { get; }

    /// <summary>The contract's methods, in declaration order.</summary>
    public abstract IReadOnlyList<ContractMethod> Methods { get; }

    /// <summary>Creates a client implementing the contract that calls through <paramref name="invoker"/>.</summary>
    public abstract object CreateClient(ICallInvoker invoker);

    /// <summary>Binds <paramref name="implementation"/> (which implements the contract) to <paramref name="binder"/>.</summary>
    public abstract void BindServer(IServiceBinder binder, object implementation);
}
