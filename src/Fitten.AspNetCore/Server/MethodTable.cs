using System.Collections.Frozen;
using System.Text;

namespace Fitten.AspNetCore.Server;

/// <summary>
/// The server's methods by full name, frozen at start-up. Looked up by the UTF-8 bytes from the wire through a
/// span-keyed alternate lookup, so finding a method allocates nothing.
/// </summary>
internal sealed class MethodTable
{
    // Method names are validated ASCII of at most 256 chars (MethodNames), so a longer name cannot match.
    private const int MaxNameLength = MethodNames.MaxFullNameLength;

    private readonly FrozenDictionary<string, ServerMethod> _methods;
    private readonly FrozenDictionary<string, ServerMethod>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public MethodTable(IEnumerable<ServerMethod> methods)
    {
        var byName = new Dictionary<string, ServerMethod>(StringComparer.Ordinal);
        foreach (var method in methods)
        {
            if (!byName.TryAdd(method.FullName, method))
            {
                throw new InvalidOperationException($"Method '{method.FullName}' is registered twice.");
            }
        }

        _methods = byName.ToFrozenDictionary(StringComparer.Ordinal);
        _lookup = _methods.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _methods.Count;

    public IEnumerable<string> Names => _methods.Keys;

    public ServerMethod? Find(ReadOnlySpan<byte> utf8Name)
    {
        if (utf8Name.Length > MaxNameLength)
        {
            return null;
        }

        Span<char> chars = stackalloc char[MaxNameLength];
        // Compare with != (not Enum.Equals, which boxes both operands: 48 bytes per call on the hot path).
        if (Ascii.ToUtf16(utf8Name, chars, out int written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        return _lookup.TryGetValue(chars[..written], out var method) ? method : null;
    }

    /// <summary>A wire name made safe to echo in an error message or log: bounded, control characters replaced.</summary>
    public static string Printable(ReadOnlySpan<byte> utf8Name)
    {
        var text = Encoding.UTF8.GetString(utf8Name[..Math.Min(utf8Name.Length, MaxNameLength)]);
        var builder = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return utf8Name.Length > MaxNameLength ? builder.Append('…').ToString() : builder.ToString();
    }
}
