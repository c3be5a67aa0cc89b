namespace Fitten.Protocol;

/// <summary>Identifiers of the values a settings frame carries (u16 id, u32 value pairs).</summary>
internal enum SettingId : ushort
{
    /// <summary>The largest frame payload the sender accepts.</summary>
    MaxFrameSize = 1,

    /// <summary>The most calls the sender lets run at once on this connection.</summary>
    MaxConcurrentCalls = 2,

    /// <summary>The largest metadata block the sender accepts.</summary>
    MaxMetadataSize = 3,
}
