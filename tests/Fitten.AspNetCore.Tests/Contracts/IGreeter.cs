using MemoryPack;

namespace Fitten.AspNetCore.Tests.Contracts;

/// <summary>A contract exercising every supported shape: return kinds, several parameters, none, a token, none.</summary>
[FittenService("test.greeter")]
public interface IGreeter
{
    [Idempotent]
    [HttpGet("/greetings/{name}")]
    ValueTask<Greeting> GreetAsync(string name, int times, CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);

    [HttpDelete("/counter")]
    ValueTask ResetAsync();

    [HttpPost("/greetings/{id:long}/find")]
    Task<Greeting?> FindAsync(long id, List<string> tags);

    Task<string> ThrowAsync(string message);

    Task FailAsync(string status);

    ValueTask<string> WaitAsync(int milliseconds, CancellationToken cancellationToken);
}

[MemoryPackable]
public sealed partial record Greeting(string Text, int Length, DateTime At);
