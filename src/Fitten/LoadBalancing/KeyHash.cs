namespace Fitten.LoadBalancing;

/// <summary>
/// Stable 64-bit hashes for consistent hashing. string.GetHashCode is randomised per process, so it cannot place
/// keys the same way in two clients; FNV-1a is stable, allocation-free and fast for short keys, and the
/// splitmix64 finaliser spreads its output over the whole ring.
/// </summary>
internal static class KeyHash
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    public static ulong Of(string key)
    {
        ulong hash = FnvOffset;
        foreach (char c in key)
        {
            hash = (hash ^ (byte)c) * FnvPrime;
            hash = (hash ^ (byte)(c >> 8)) * FnvPrime;
        }

        return Mix(hash);
    }

    /// <summary>splitmix64's finaliser: every input bit affects every output bit.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9;
        x ^= x >> 27;
        x *= 0x94D049BB133111EB;
        x ^= x >> 31;
        return x;
    }
}
