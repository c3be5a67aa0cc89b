namespace Fitten;

/// <summary>Hands out <see cref="Method{TRequest, TResponse}"/> ids: dense, from 0, so pipelines index arrays by them.</summary>
internal static class MethodIds
{
    private static int _last = -1;

    public static int Next() => Interlocked.Increment(ref _last);
}
