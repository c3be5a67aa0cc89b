namespace Fitten.AspNetCore.Tests.Contracts;

public sealed class Greeter : IGreeter
{
    private int _count;

    public ValueTask<Greeting> GreetAsync(string name, int times, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        var text = string.Join(" ", Enumerable.Repeat($"hello {name}", times));
        return ValueTask.FromResult(new Greeting(text, text.Length, new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc)));
    }

    public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(Volatile.Read(ref _count));

    public ValueTask ResetAsync()
    {
        Volatile.Write(ref _count, 0);
        return ValueTask.CompletedTask;
    }

    public Task<Greeting?> FindAsync(long id, List<string> tags)
        => Task.FromResult(id == 0 ? null : new Greeting(string.Join(",", tags), (int)id, DateTime.UnixEpoch));

    public Task<string> ThrowAsync(string message) => throw new InvalidOperationException(message);

    public Task FailAsync(string status) => throw new RpcException(Enum.Parse<StatusCode>(status), "failed on purpose");

    public async ValueTask<string> WaitAsync(int milliseconds, CancellationToken cancellationToken)
    {
        await Task.Delay(milliseconds, cancellationToken);
        return "waited";
    }
}
