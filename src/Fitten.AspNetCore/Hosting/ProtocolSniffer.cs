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

    // A peer that sends a prefix of the HTTP/2 preface and stalls is handed to HTTP/1.1 (and its timeouts) after this.
    private static readonly TimeSpan DecisionTimeout = TimeSpan.FromSeconds(10);

    public static async Task DispatchAsync(ConnectionContext connection, ListenOptions listenOptions, FittenRpcServer server, Http2Handoff handoff, ConnectionDelegate next)
    {
        var protocol = await DetectAsync(connection).ConfigureAwait(false);
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

    private static async Task<Detected> DetectAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(DecisionTimeout);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await input.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Detected.Other;
            }

            var buffer = result.Buffer;
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
    }
}
