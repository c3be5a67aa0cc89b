namespace Fitten.LoadBalancing;

/// <summary>What a picker may know of the call it picks for. A value type, so picking allocates nothing.</summary>
public readonly struct PickContext
{
    /// <summary>A context with the given hash key (consistent hashing keeps equal keys on one instance).</summary>
    public PickContext(ulong hashKey)
    {
        HashKey = hashKey;
        HasHashKey = true;
    }

    /// <summary>The call's hash key; meaningful only when <see cref="HasHashKey"/>.</summary>
    public ulong HashKey { get; }

    /// <summary>True when the call carries a hash key.</summary>
    public bool HasHashKey { get; }

    /// <summary>A context hashing <paramref name="key"/> (a 64-bit FNV-1a over its UTF-16 code units, then mixed); no key when null.</summary>
    public static PickContext ForKey(string? key) => key is null ? default : new PickContext(KeyHash.Of(key));
}
