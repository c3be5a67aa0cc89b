namespace Fitten.Protocol;

/// <summary>Constants of the Fitten wire protocol (docs/protocol.md).</summary>
internal static class FittenProtocol
{
    /// <summary>The protocol version this build speaks.</summary>
    public const byte Version = 1;

    /// <summary>
    /// First byte of the preface. 0xF1 is not a valid first byte of HTTP/1.x (a token character) or of the
    /// HTTP/2 preface ("PRI"), so one look tells the protocols apart on a shared port.
    /// </summary>
    public const byte MagicFirstByte = 0xF1;

    /// <summary>Length of the connection preface the client sends first.</summary>
    public const int PrefaceLength = 8;

    /// <summary>The magic part of the preface: 0xF1 "FITTEN". The eighth byte is the version.</summary>
    public static ReadOnlySpan<byte> Magic => [MagicFirstByte, (byte)'F', (byte)'I', (byte)'T', (byte)'T', (byte)'E', (byte)'N'];

    /// <summary>Writes the 8-byte preface for <see cref="Version"/>.</summary>
    public static void WritePreface(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        destination[7] = Version;
    }

    /// <summary>Whether <paramref name="firstBytes"/> (as many as have arrived) can still be the start of a Fitten preface.</summary>
    public static bool CouldBePreface(ReadOnlySpan<byte> firstBytes)
    {
        int n = Math.Min(firstBytes.Length, Magic.Length);
        return firstBytes[..n].SequenceEqual(Magic[..n]);
    }
}
