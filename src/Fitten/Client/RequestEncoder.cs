using System.Diagnostics;
using Fitten.Protocol;

namespace Fitten.Client;

/// <summary>Writes a request frame's payload (metadata block, then message) into a call's buffer.</summary>
internal static class RequestEncoder
{
    public static void Encode<TRequest, TResponse>(
        ClientCall call, Method<TRequest, TResponse> method, Marshaller<TRequest> marshaller, TRequest request, long deadlineTimestamp,
        Metadata? headers, string? caller, ServerCallContext? inbound, Activity? traceContext, int attempt = 0)
    {
        var metadata = new MetadataWriter(call.Request);
        metadata.WriteString(MetadataKind.Method, method.FullNameUtf8);
        if (deadlineTimestamp != long.MaxValue)
        {
            // Relative, not absolute: the server counts from when it reads the frame, so clock skew cannot matter.
            long remaining = Math.Max(0, deadlineTimestamp - Stopwatch.GetTimestamp());
            metadata.WriteNumber(MetadataKind.Timeout, (ulong)(remaining * 1_000_000.0 / Stopwatch.Frequency));
        }

        if (!ReferenceEquals(marshaller, method.RequestMarshaller))
        {
            // Not the method's default codec: say which, so the server decodes and answers with the same one.
            metadata.WriteString(MetadataKind.Codec, marshaller.CodecName);
        }

        if (caller is not null)
        {
            metadata.WriteString(MetadataKind.Caller, caller);
        }

        if (traceContext is not null)
        {
            // The BCL propagator (W3C by default) decides what goes out, so an app that swaps it is obeyed here too.
            call.PropagationScratch.Clear();
            DistributedContextPropagator.Current.Inject(traceContext, call.PropagationScratch, static (carrier, key, value) =>
            {
                if (value is not null)
                {
                    ((PropagationScratch)carrier!).Set(key, value);
                }
            });
            var scratch = call.PropagationScratch;
            if (scratch.TraceParent is not null)
            {
                metadata.WriteString(MetadataKind.TraceParent, scratch.TraceParent);
            }

            if (scratch.TraceState is not null)
            {
                metadata.WriteString(MetadataKind.TraceState, scratch.TraceState);
            }

            if (scratch.Baggage is not null)
            {
                metadata.WriteString(MetadataKind.Baggage, scratch.Baggage);
            }
        }

        if (headers is { Count: > 0 })
        {
            foreach (var entry in headers)
            {
                var kind = entry.Kind switch
                {
                    MetadataEntryKind.Tag => MetadataKind.Tag,
                    MetadataEntryKind.ChainHeader => MetadataKind.ChainHeader,
                    _ => MetadataKind.Header,
                };
                metadata.WritePair(kind, entry.Key, entry.Value);
            }
        }

        if (attempt > 0)
        {
            // The retry mark (chain stop): the server's onward calls for this request are not retried again.
            metadata.WritePair(MetadataKind.Header, Resilience.FittenHeaders.Attempt, AttemptText(attempt));
        }

        // Tags and chain headers of the call being served travel on (docs/protocol.md, propagation); one-hop headers
        // stop here. The caller's own entries come first and win: a receiver reads the first entry of a key.
        inbound?.WriteChainEntries(ref metadata, headers);
        metadata.Complete();
        marshaller.Serialize(request, call.Request);
    }

    private static readonly string[] AttemptTexts = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];

    private static string AttemptText(int attempt)
        => (uint)attempt < (uint)AttemptTexts.Length ? AttemptTexts[attempt] : attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
