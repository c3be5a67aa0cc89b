using System.Runtime.CompilerServices;

namespace Fitten.Codecs;

/// <summary>
/// Adapts methods that return no value to handlers that return <see cref="Unit"/>, and back. Used by generated code.
/// A call that completes synchronously allocates nothing; one that completes later uses pooled state machines.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public static class UnitResults
{
    /// <summary>Completes with <see cref="Unit"/> when <paramref name="task"/> does.</summary>
    public static ValueTask<Unit> From(ValueTask task)
        => task.IsCompletedSuccessfully ? default : AwaitAsync(task);

    /// <summary>Completes with <see cref="Unit"/> when <paramref name="task"/> does.</summary>
    public static ValueTask<Unit> From(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.IsCompletedSuccessfully ? default : AwaitAsync(new ValueTask(task));
    }

    /// <summary>Completes when <paramref name="call"/> does, dropping its <see cref="Unit"/> result (a generated client's void method).</summary>
    public static ValueTask Discard(ValueTask<Unit> call)
        => call.IsCompletedSuccessfully ? default : DiscardAsync(call);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Unit> AwaitAsync(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return default;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask DiscardAsync(ValueTask<Unit> call) => await call.ConfigureAwait(false);
}
