using Fitten.Protocol;

namespace Fitten.AspNetCore.Server;

internal sealed partial class ServerConnection
{
    /// <summary>
    /// A frame waiting for the writer. Responses carry their pooled call; refusals and goaways carry a status or
    /// code and a message, encoded by the writer. Why this is not one type with the client's: ClientConnection.Outbound.
    /// </summary>
    private readonly record struct Outbound(FrameType Type, FrameFlags Flags, uint StreamId, ServerCall? Call)
    {
        public StatusCode Status { get; init; }

        public string? Message { get; init; }

        /// <summary>Ping data, or the goaway code.</summary>
        public ulong Value { get; init; }

        /// <summary>A response that answers a call without running it (refused, unknown method, bad metadata).</summary>
        public static Outbound Refusal(uint streamId, StatusCode status, string message)
            => new(FrameType.Response, FrameFlags.EndStream | FrameFlags.Refused, streamId, null) { Status = status, Message = message };

        public static Outbound GoAway(uint lastStreamId, GoAwayCode code, string message)
            => new(FrameType.GoAway, FrameFlags.None, lastStreamId, null) { Value = (ulong)code, Message = message };
    }
}
