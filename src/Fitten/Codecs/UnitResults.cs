namespace Fitten.Codecs;

/// <summary>Adapts methods that return no value to handlers that return <see cref="Unit"/>. Used by generated code.</summary>
public static class UnitResults
{
    /// <summary>Completes with <see cref="Unit"/> when <paramref name="task"/> does.</summary>
    public static ValueTask<Unit> From(ValueTask task)
        => task.IsCompletedSuccessfully ? default : AwaitAsync(task.AsTask());

    /// <summary>Completes with <see cref="Unit"/> when <paramref name="task"/> does.</summary>
    public static ValueTask<Unit> From(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.IsCompletedSuccessfully ? default : AwaitAsync(task);
    }

    private static async ValueTask<Unit> AwaitAsync(Task task)
    {
        await task.ConfigureAwait(false);
        return default;
    }
}
