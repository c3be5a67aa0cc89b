using Microsoft.Extensions.DependencyInjection;

namespace Fitten.AspNetCore.Server;

/// <summary>
/// The contracts this application serves, each bound once to its implementation. Fitten RPC and the HTTP/JSON
/// endpoints dispatch to the same <see cref="ServerMethod"/> instances, so both front ends call the same handlers.
/// </summary>
internal sealed class ServedContracts(IServiceProvider services)
{
    private readonly Lazy<IReadOnlyList<ServedContract>> _contracts = new(() =>
        services.GetServices<ContractBinding>().Select(b => new ServedContract(b.Contract, [.. b.CreateMethods(services)])).ToList());

    public IReadOnlyList<ServedContract> Contracts => _contracts.Value;

    /// <summary>Every method: hand-registered ones (<c>AddUnaryMethod</c>) first, then each contract's.</summary>
    public IEnumerable<ServerMethod> AllMethods()
    {
        foreach (var method in services.GetServices<ServerMethod>())
        {
            yield return method;
        }

        foreach (var contract in Contracts)
        {
            foreach (var method in contract.Methods)
            {
                yield return method;
            }
        }
    }
}

/// <summary>A contract with its bound server methods.</summary>
internal sealed record ServedContract(FittenContract Contract, IReadOnlyList<ServerMethod> Methods);
