using System.Buffers.Binary;

namespace Fitten.Bench.Tracing;

/// <summary>
/// A W3C trace context (trace id and parent span id) that the engine puts on a sampled request, so the slowest
/// requests of a run can be looked up in the server's traces.
/// </summary>
public readonly record struct TraceContext
{
    /// <summary>Creates a context from its ids.</summary>
    /// <param name="traceIdHigh">The first 8 bytes of the 16-byte trace id.</param>
    /// <param name="traceIdLow">The last 8 bytes of the trace id.</param>
    /// <param name="spanId">The 8-byte parent span id.</param>
    public TraceContext(ulong traceIdHigh, ulong traceIdLow, ulong spanId)
    {
        TraceIdHigh = traceIdHigh;
        TraceIdLow = traceIdLow;
        SpanId = spanId;
    }

    /// <summary>No trace context: the request is sent without one.</summary>
    public static TraceContext None => default;

    /// <summary>The first 8 bytes of the trace id.</summary>
    public ulong TraceIdHigh { get; }

    /// <summary>The last 8 bytes of the trace id.</summary>
    public ulong TraceIdLow { get; }

    /// <summary>The parent span id.</summary>
    public ulong SpanId { get; }

    /// <summary>Whether this is <see cref="None"/>. An all-zero trace id is invalid in W3C, so it can mean "none".</summary>
    public bool IsNone => TraceIdHigh == 0 && TraceIdLow == 0;

    /// <summary>The length of a <c>traceparent</c> value: <c>00-{32 hex}-{16 hex}-01</c>.</summary>
    public const int TraceParentLength = 55;

    /// <summary>Creates a random, valid (non-zero) context.</summary>
    /// <param name="random">The worker's own random source (not thread-safe, so never shared).</param>
    public static TraceContext NewRandom(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ulong high, low, span;
        do
        {
            high = (ulong)random.NextInt64();
            low = (ulong)random.NextInt64();
        }
        while (high == 0 && low == 0);
        do
        {
            span = (ulong)random.NextInt64();
        }
        while (span == 0);
        return new TraceContext(high, low, span);
    }

    /// <summary>The trace id as 32 lower-case hex characters.</summary>
    public string TraceId
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, TraceIdHigh);
            BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], TraceIdLow);
            return Convert.ToHexStringLower(bytes);
        }
    }

    /// <summary>Writes the <c>traceparent</c> value, sampled flag set, as ASCII into <paramref name="destination"/>.</summary>
    /// <param name="destination">At least <see cref="TraceParentLength"/> bytes.</param>
    public void WriteTraceParent(Span<byte> destination)
    {
        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, TraceIdHigh);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], TraceIdLow);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[16..], SpanId);
        "00-"u8.CopyTo(destination);
        Convert.TryToHexStringLower(bytes[..16], destination.Slice(3, 32), out _);
        destination[35] = (byte)'-';
        Convert.TryToHexStringLower(bytes[16..], destination.Slice(36, 16), out _);
        "-01"u8.CopyTo(destination[52..]);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        Span<byte> value = stackalloc byte[TraceParentLength];
        WriteTraceParent(value);
        return System.Text.Encoding.ASCII.GetString(value);
    }
}
