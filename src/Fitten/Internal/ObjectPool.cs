namespace Fitten.Internal;

/// <summary>
/// A small lock-free pool: one fast slot plus a fixed array scanned with compare-exchange, the same shape as
/// Microsoft.Extensions.ObjectPool's DefaultObjectPool (which the core cannot reference without ASP.NET Core's
/// dependency graph). Over capacity, returned objects are dropped for the GC.
/// </summary>
internal sealed class ObjectPool<T>
    where T : class
{
    private readonly Func<T> _factory;
    private readonly T?[] _items;
    private T? _fast;

    public ObjectPool(Func<T> factory, int capacity)
    {
        _factory = factory;
        _items = new T?[Math.Max(0, capacity - 1)];
    }

    public T Rent()
    {
        var item = _fast;
        if (item is not null && Interlocked.CompareExchange(ref _fast, null, item) == item)
        {
            return item;
        }

        var items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            item = items[i];
            if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
            {
                return item;
            }
        }

        return _factory();
    }

    public void Return(T item)
    {
        if (_fast is null && Interlocked.CompareExchange(ref _fast, item, null) is null)
        {
            return;
        }

        var items = _items;
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] is null && Interlocked.CompareExchange(ref items[i], item, null) is null)
            {
                return;
            }
        }
    }
}
