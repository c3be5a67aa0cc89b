using System.Collections.Concurrent;

namespace Fitten;

/// <summary>
/// The contracts compiled into this process. Generated code registers each one from a module initializer, so a
/// lookup by type needs no reflection and works under Native AOT.
/// </summary>
public static class FittenContracts
{
    private static readonly ConcurrentDictionary<Type, FittenContract> ByType = new();

    /// <summary>Registers a contract. Called by generated code; registering the same contract twice is harmless.</summary>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static void Register(FittenContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ByType.TryAdd(contract.ContractType, contract);
    }

    /// <summary>The contract for <typeparamref name="TContract"/>.</summary>
    /// <exception cref="InvalidOperationException">No generated contract exists for the type.</exception>
    public static FittenContract Get<TContract>()
        where TContract : class
    {
        if (ByType.TryGetValue(typeof(TContract), out var contract))
        {
            return contract;
        }

        // The contract's assembly registers from its module initializer, which runs only once code in that module
        // runs; naming the type from another assembly is not enough, so run it now.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(TContract).Module.ModuleHandle);
        return ByType.TryGetValue(typeof(TContract), out contract)
            ? contract
            : throw new InvalidOperationException(
                $"{typeof(TContract).FullName} is not a Fitten contract: mark the interface [FittenService(\"name\")] and make sure the project references Fitten's source generator.");
    }

    /// <summary>Creates a client for <typeparamref name="TContract"/> calling through <paramref name="invoker"/>.</summary>
    public static TContract CreateClient<TContract>(Client.ICallInvoker invoker)
        where TContract : class
        => (TContract)Get<TContract>().CreateClient(invoker);
}
