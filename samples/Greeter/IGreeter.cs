using Fitten;
using MemoryPack;

namespace Greeter;

/// <summary>The contract: a plain interface shared by server and client.</summary>
[FittenService("samples.greeter")]
public interface IGreeter
{
    [Idempotent]
    ValueTask<Greeting> GreetAsync(string name, CancellationToken cancellationToken = default);

    Task<int> CountAsync();
}

/// <summary>A message: MemoryPack encodes it with source-generated code (no reflection, AOT-safe).</summary>
[MemoryPackable]
public sealed partial record Greeting(string Text, int Number);
