using System.Text;
using Fitten.Protocol;

namespace Fitten.Client;

/// <summary>Reads the application headers a server attached to a response (metadata entries of kind header).</summary>
internal static class ResponseMetadata
{
    /// <summary>The response's headers, or null when it carries none (the common case: an empty block, no allocation).</summary>
    public static Metadata? Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < FramePayload.MetadataLengthSize)
        {
            return null;
        }

        FramePayload.Split(payload, out var block, out _);
        if (block.IsEmpty)
        {
            return null;
        }

        Metadata? headers = null;
        try
        {
            // The connection has read this block once already (for the status), within its entry limit.
            var reader = new MetadataReader(block, int.MaxValue);
            while (reader.TryRead(out var entry))
            {
                if (entry.Kind == MetadataKind.Header)
                {
                    (headers ??= new Metadata()).Add(Encoding.UTF8.GetString(entry.Key), Encoding.UTF8.GetString(entry.Value));
                }
            }
        }
        catch (ProtocolViolationException)
        {
            return headers;
        }

        return headers;
    }
}
