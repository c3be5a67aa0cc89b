namespace Greeter;

/// <summary>The implementation the server hosts.</summary>
public sealed class GreeterService : IGreeter
{
    private int _count;

    public ValueTask<Greeting> GreetAsync(string name, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(new Greeting($"Hello, {name}!", Interlocked.Increment(ref _count)));

    public Task<int> CountAsync() => Task.FromResult(Volatile.Read(ref _count));
}
