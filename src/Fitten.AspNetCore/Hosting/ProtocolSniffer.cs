using System.Buffers;
using System.IO.Pipelines;
using Fitten.AspNetCore.Server;
using Fitten.Protocol;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fitten.AspNetCore.Hosting;

/// <summary>Looks at a shared-port connection's first bytes, without consuming them, and hands it to the right protocol.</summary>
internal static class ProtocolSniffer
{
    // RFC 9113 §3.4: the client connection preface of HTTP/2 with prior knowledge.
    private static ReadOnlySpan<byte> Http2Preface => "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8;

    // How long the first bytes may take when the frame read timeout is infinite: the decision itself must not wait forever.
    private static readonly TimeSpan DefaultDecisionTimeout = TimeSpan.FromSeconds(10);

    public static async Task DispatchAsync(ConnectionContext connection, ListenOptions listenOptions, FittenRpcServer server, Http2Handoff handoff, ConnectionDelegate next)
    {
        var readTimeout = server.Limits.FrameReadTimeout;
        var protocol = await DetectAsync(connection, readTimeout == Timeout.InfiniteTimeSpan ? DefaultDecisionTimeout : readTimeout).ConfigureAwait(false);
        if (protocol == Detected.Stalled)
        {
            // Part of the HTTP/2 preface, then nothing: no protocol has the connection yet, so it is closed unanswered,
            // as Fitten closes a preface that stalls (docs/protocol.md §1). Handing it to HTTP/1.1 would add HTTP's own
            // request-headers timeout on top.
            return;
        }

        if (protocol == Detected.Fitten)
        {
            await server.OnConnectedAsync(connection).ConfigureAwait(false);
            return;
        }

        if (protocol == Detected.Http2 && (listenOptions.Protocols & HttpProtocols.Http1AndHttp2) == HttpProtocols.Http1AndHttp2
            && await handoff.GetPipelineAsync().ConfigureAwait(false) is { } http2)
        {
            await http2(connection).ConfigureAwait(false);
            return;
        }

        await next(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the bytes that decide, at most <paramref name="timeout"/> for the first and again from the first:
    /// a connection that sends nothing by then is HTTP/1.1's (whose keep-alive timeout then applies, as on any HTTP
    /// port); one that stalls inside the HTTP/2 preface is <see cref="Detected.Stalled"/>.
    /// </summary>
    private static async Task<Detected> DetectAsync(ConnectionContext connection, TimeSpan timeout)
    {
        var input = connection.Transport.Input;
        using var expiry = new CancellationTokenSource(timeout);
        bool started = false;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(expiry.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return started ? Detected.Stalled : Detected.Other;
            }

            var buffer = result.Buffer;
            if (!started && !buffer.IsEmpty)
            {
                // Like the frame read timeout, this one runs from the first byte of what is incomplete.
                started = true;
                expiry.CancelAfter(timeout);
            }

            var detected = Classify(buffer);
            if (detected != Detected.Undecided || result.IsCompleted)
            {
                // Consume and examine nothing: whoever takes the connection reads these bytes again.
                input.AdvanceTo(buffer.Start);
                return detected == Detected.Undecided ? Detected.Other : detected;
            }

            // Keep the bytes but wait for more before the next read completes.
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static Detected Classify(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return Detected.Undecided;
        }

        if (buffer.FirstSpan[0] == FittenProtocol.MagicFirstByte)
        {
            return Detected.Fitten;
        }

        int n = (int)Math.Min(buffer.Length, Http2Preface.Length);
        Span<byte> head = stackalloc byte[n];
        buffer.Slice(0, n).CopyTo(head);
        if (!head.SequenceEqual(Http2Preface[..n]))
        {
            return Detected.Other;
        }

        return n == Http2Preface.Length ? Detected.Http2 : Detected.Undecided;
    }

    private enum Detected
    {
        Undecided,
        Fitten,
        Http2,
        Other,
        Stalled,
    }
}
