using System.Collections;

namespace Fitten;

/// <summary>
/// Application metadata of a call: headers for the next hop, headers and tags for the whole chain. Well-known
/// entries (deadline, trace context, caller, codec) have their own properties on the call and are not listed here.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    private readonly List<Entry> _entries = [];

    /// <summary>The number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry at <paramref name="index"/>.</summary>
    public Entry this[int index] => _entries[index];

    /// <summary>Adds a header for the next hop.</summary>
    public Metadata Add(string key, string value) => Add(key, value, MetadataEntryKind.Header);

    /// <summary>Adds an entry of the given kind. Keys are ASCII, compared case-insensitively, and may repeat.</summary>
    public Metadata Add(string key, string value, MetadataEntryKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _entries.Add(new Entry(key, value, kind));
        return this;
    }

    /// <summary>The value of the first entry with <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <summary>The value of the first entry of <paramref name="kind"/> with <paramref name="key"/> (a tag, say), or null.</summary>
    public string? GetValue(string key, MetadataEntryKind kind)
    {
        foreach (var entry in _entries)
        {
            if (entry.Kind == kind && string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Value;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry.</summary>
    /// <param name="Key">The key.</param>
    /// <param name="Value">The value.</param>
    /// <param name="Kind">How far it travels.</param>
    public readonly record struct Entry(string Key, string Value, MetadataEntryKind Kind);
}
