using Fitten.Protocol;

namespace Fitten.Client;

/// <summary>
/// Limits a client enforces on what servers send it. Separate from the server's <see cref="FittenLimits"/>: a client
/// reads responses and nothing else, so only these two apply. Every value is checked when it is set.
/// </summary>
public sealed class ClientLimits
{
    private int _maxFrameSize = FittenLimits.DefaultMaxFrameSize;
    private int _maxMetadataEntries = 64;
    private int _maxMetadataSize = FittenLimits.DefaultMaxMetadataSize;

    /// <summary>
    /// Largest response frame accepted; a larger one closes the connection (its calls fail UNAVAILABLE). Default:
    /// 4 MiB, gRPC's default maximum message size, as on the server. Range 1 KiB to 16 MiB.
    /// </summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        set => _maxFrameSize = InRange(value, FittenLimits.MinFrameSize, FittenLimits.MaxFrameSizeCeiling);
    }

    /// <summary>
    /// Largest response metadata block (status, message, response headers) this client takes. Advertised to servers
    /// in the client's settings: a server answers INTERNAL instead of sending response headers over it. Default:
    /// 8 KiB, as on the server. Range 256 bytes to 1 MiB.
    /// </summary>
    public int MaxMetadataSize
    {
        get => _maxMetadataSize;
        set => _maxMetadataSize = InRange(value, FittenLimits.MinMetadataSize, FittenLimits.MaxMetadataSizeCeiling);
    }

    /// <summary>Most metadata entries read from one response (status, message, response headers). Default: 64, as on the server. Range 8 to 4096.</summary>
    public int MaxMetadataEntries
    {
        get => _maxMetadataEntries;
        set => _maxMetadataEntries = InRange(value, 8, 4096);
    }

    private static int InRange(int value, int min, int max, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
        => value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
}
