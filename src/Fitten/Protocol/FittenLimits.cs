namespace Fitten.Protocol;

/// <summary>
/// Limits one side of a Fitten connection enforces on what it receives. The server enforces all of them. A client
/// advertises <see cref="MaxFrameSize"/> and <see cref="MaxMetadataSize"/> in its settings, closes the connection on
/// a response frame over <see cref="MaxFrameSize"/>, reads at most <see cref="MaxMetadataEntries"/> entries of a
/// response's metadata, and does not use the rest. Every value is checked when it is set, so a bad configuration
/// fails at start-up, not on the first call. Defaults and their reasons: docs/protocol.md §6.
/// </summary>
public sealed class FittenLimits
{
    /// <summary>
    /// The protocol's hard ceiling on a frame payload: 16 MiB (2²⁴ bytes), the largest <see cref="MaxFrameSize"/> a
    /// side may set or a peer may advertise, so one frame never holds more than that in memory.
    /// </summary>
    public const int MaxFrameSizeCeiling = 16 * 1024 * 1024;

    /// <summary>
    /// The default of <see cref="MaxFrameSize"/>, and what a side assumes of its peer until the peer's settings arrive.
    /// </summary>
    public const int DefaultMaxFrameSize = 4 * 1024 * 1024;

    /// <summary>The default of <see cref="MaxMetadataSize"/>, and what a side assumes of its peer until the peer's settings arrive.</summary>
    internal const int DefaultMaxMetadataSize = 8 * 1024;

    // The ranges below are also the values a peer may advertise in its settings (SettingsFrame checks them).
    internal const int MinFrameSize = 1024;
    internal const int MinMetadataSize = 256;
    internal const int MaxMetadataSizeCeiling = 1024 * 1024;
    internal const int MaxConcurrentCallsCeiling = 1_000_000;

    private int _maxFrameSize = DefaultMaxFrameSize;
    private int _maxMetadataSize = DefaultMaxMetadataSize;
    private int _maxMetadataEntries = 64;
    private int _maxConcurrentCalls = 1024;
    private TimeSpan _idleTimeout = TimeSpan.FromMinutes(2);
    private TimeSpan _frameReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Largest frame payload accepted. Default: 4 MiB, gRPC's default maximum message size, so messages that
    /// work with gRPC work here. Range 1 KiB to 16 MiB.
    /// </summary>
    public int MaxFrameSize
    {
        get => _maxFrameSize;
        set => _maxFrameSize = InRange(value, MinFrameSize, MaxFrameSizeCeiling);
    }

    /// <summary>
    /// Largest metadata block in one frame. Default: 8 KiB, the header-list size many HTTP servers accept,
    /// plenty for trace context, baggage and a few tags. Range 256 bytes to 1 MiB.
    /// </summary>
    public int MaxMetadataSize
    {
        get => _maxMetadataSize;
        set => _maxMetadataSize = InRange(value, MinMetadataSize, MaxMetadataSizeCeiling);
    }

    /// <summary>Most metadata entries in one frame. Default: 64. Range 8 to 4096.</summary>
    public int MaxMetadataEntries
    {
        get => _maxMetadataEntries;
        set => _maxMetadataEntries = InRange(value, 8, 4096);
    }

    /// <summary>
    /// Most calls running at once on one connection; a call over the limit is refused unprocessed with
    /// RESOURCE_EXHAUSTED. Default: 1024, room for many callers sharing a few connections. Range 1 to 1,000,000.
    /// </summary>
    public int MaxConcurrentCalls
    {
        get => _maxConcurrentCalls;
        set => _maxConcurrentCalls = InRange(value, 1, MaxConcurrentCallsCeiling);
    }

    /// <summary>
    /// A connection with no call running and no frame received for this long is closed with a goaway.
    /// Default: 2 minutes, just under Kestrel's keep-alive timeout of 130 s. Range 100 ms to 1 day, or
    /// <see cref="Timeout.InfiniteTimeSpan"/> to never close idle connections.
    /// </summary>
    public TimeSpan IdleTimeout
    {
        get => _idleTimeout;
        set => _idleTimeout = TimeoutInRange(value, TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// Once the preface or a frame starts arriving, the rest must arrive within this time or the connection is
    /// closed (a peer that sends half a frame and stalls ties up nothing for long). Default: 10 s. Range 100 ms
    /// to 1 day.
    /// </summary>
    public TimeSpan FrameReadTimeout
    {
        get => _frameReadTimeout;
        set => _frameReadTimeout = TimeoutInRange(value, TimeSpan.FromMilliseconds(100));
    }

    private static int InRange(int value, int min, int max, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        if (value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max}.");
        }

        return value;
    }

    private static TimeSpan TimeoutInRange(TimeSpan value, TimeSpan min, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return value;
        }

        if (value < min || value > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and 1 day, or infinite.");
        }

        return value;
    }
}
