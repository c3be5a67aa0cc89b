using Fitten;
using MemoryPack;

namespace Greeter;

/// <summary>The contract: a plain interface shared by server and client.</summary>
[FittenService("samples.greeter")]
public interface IGreeter
{
    [Idempotent]
    [HttpGet("/greet/{name}")]
    ValueTask<Greeting> GreetAsync(string name, CancellationToken cancellationToken = default);

    Task<int> CountAsync();
}

/// <summary>A message: MemoryPack encodes it with source-generated code (no reflection, AOT-safe).</summary>
[MemoryPackable]
public sealed partial record Greeting(string Text, int Number);

/// <summary>
/// JSON metadata for HTTP/JSON, generated at compile time so it works under Native AOT; registered with
/// ConfigureHttpJsonOptions in Program.cs.
/// </summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(Greeting))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
[System.Text.Json.Serialization.JsonSerializable(typeof(int))]
public sealed partial class GreeterJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
