namespace Fitten.Protocol;

/// <summary>
/// The kind byte in front of each metadata entry (docs/protocol.md §4). Kinds below 0x80 are
/// defined by the protocol version and an unknown one is a protocol error; kinds from 0x80 up are extensions
/// whose value is one string, and a receiver that does not know one skips it.
/// </summary>
internal enum MetadataKind : byte
{
    /// <summary>String: "service/method".</summary>
    Method = 0x01,

    /// <summary>Varint: microseconds left until the deadline when the frame was written.</summary>
    Timeout = 0x02,

    /// <summary>String: the payload codec's name; absent means the method's default codec.</summary>
    Codec = 0x03,

    /// <summary>String: W3C traceparent.</summary>
    TraceParent = 0x04,

    /// <summary>String: W3C tracestate.</summary>
    TraceState = 0x05,

    /// <summary>String: W3C baggage.</summary>
    Baggage = 0x06,

    /// <summary>String: the calling service's name.</summary>
    Caller = 0x07,

    /// <summary>Key and value: a routing tag (e.g. canary); carried along the whole call chain.</summary>
    Tag = 0x08,

    /// <summary>Key and value: an application header for the next hop only.</summary>
    Header = 0x09,

    /// <summary>Key and value: an application header carried along the whole call chain.</summary>
    ChainHeader = 0x0A,

    /// <summary>Varint: the call's status code (responses only; absent means OK).</summary>
    Status = 0x10,

    /// <summary>String: the status message (responses only).</summary>
    StatusMessage = 0x11,

    /// <summary>First extension kind: value is one string; unknown extensions are skipped.</summary>
    FirstExtension = 0x80,
}
