using System.Buffers.Text;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Fitten.Bench.Targets;

namespace Fitten.Bench.Http.Internal;

// Reading a response: status line and headers from the buffer, then skipping the body by its framing.
internal sealed partial class HttpConnection
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<RequestOutcome> ReadResponseAsync(Socket socket)
    {
        while (true)
        {
            int headerEnd;
            while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (_end - _start > MaxHeaderBytes || !await FillAsync(socket).ConfigureAwait(false))
                {
                    Close();
                    return RequestOutcome.Failure(_end - _start > MaxHeaderBytes ? ErrorKinds.Protocol : ErrorKinds.Connection);
                }
            }

            if (!TryParseHead(_buffer.AsSpan(_start, headerEnd + 2), out var head))
            {
                Close();
                return RequestOutcome.Failure(ErrorKinds.Protocol);
            }

            _start += headerEnd + 4;
            if (head.Status is >= 100 and < 200)
            {
                // An interim response (100 Continue, 103 Early Hints): the real one follows.
                continue;
            }

            bool complete;
            if (_template.IsHead || head.Status is 204 or 304)
            {
                complete = true;
            }
            else if (head.Chunked)
            {
                complete = await SkipChunkedAsync(socket).ConfigureAwait(false);
            }
            else if (head.ContentLength >= 0)
            {
                complete = await SkipAsync(socket, head.ContentLength).ConfigureAwait(false);
            }
            else
            {
                // No framing: the body ends when the server closes the connection.
                while (await FillAsync(socket).ConfigureAwait(false))
                {
                    _start = _end;
                }

                complete = true;
                head.Close = true;
            }

            if (!complete)
            {
                Close();
                return RequestOutcome.Failure(ErrorKinds.Connection);
            }

            if (head.Close)
            {
                Close();
            }

            return head.Status >= 400 ? RequestOutcome.ErrorResponse(ErrorKinds.ForHttpStatus(head.Status)) : RequestOutcome.Success;
        }
    }

    /// <summary>
    /// Completes the response from what is already buffered when it is all there and framed by Content-Length (or
    /// has no body): the common case for small responses. Leaves the buffer untouched otherwise.
    /// </summary>
    private bool TryReadBufferedResponse(out RequestOutcome outcome)
    {
        outcome = default;
        var buffered = _buffer.AsSpan(_start, _end - _start);
        var headerEnd = buffered.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0 || !TryParseHead(buffered[..(headerEnd + 2)], out var head) || head.Status < 200 || head.Chunked)
        {
            return false;
        }

        var body = _template.IsHead || head.Status is 204 or 304 ? 0 : head.ContentLength;
        if (body < 0 || headerEnd + 4 + body > buffered.Length)
        {
            return false;
        }

        _start += headerEnd + 4 + (int)body;
        if (head.Close)
        {
            Close();
        }

        outcome = head.Status >= 400 ? RequestOutcome.ErrorResponse(ErrorKinds.ForHttpStatus(head.Status)) : RequestOutcome.Success;
        return true;
    }

    /// <summary>Reads more bytes into the buffer; false when the peer closed the connection.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FillAsync(Socket socket)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }

        var read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>Skips <paramref name="count"/> body bytes, from the buffer first, then from the socket.</summary>
    private async ValueTask<bool> SkipAsync(Socket socket, long count)
    {
        while (true)
        {
            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
            if (count == 0)
            {
                return true;
            }

            if (!await FillAsync(socket).ConfigureAwait(false))
            {
                return false;
            }
        }
    }

    /// <summary>Skips a chunked body: size lines, data, and trailers up to the final empty line.</summary>
    private async ValueTask<bool> SkipChunkedAsync(Socket socket)
    {
        while (true)
        {
            var line = await ReadLineAsync(socket).ConfigureAwait(false);
            if (line < 0 || !TryParseChunkSize(_buffer.AsSpan(_start, line), out var size))
            {
                return false;
            }

            _start += line + 2;
            if (size == 0)
            {
                // Trailers, if any, end with an empty line.
                while (true)
                {
                    line = await ReadLineAsync(socket).ConfigureAwait(false);
                    if (line < 0)
                    {
                        return false;
                    }

                    _start += line + 2;
                    if (line == 0)
                    {
                        return true;
                    }
                }
            }

            // The chunk's data and its closing CRLF.
            if (!await SkipAsync(socket, size + 2).ConfigureAwait(false))
            {
                return false;
            }
        }
    }

    /// <summary>Waits for a CRLF-terminated line at the buffer's start; returns its length without the CRLF, or -1.</summary>
    private async ValueTask<int> ReadLineAsync(Socket socket)
    {
        int index;
        while ((index = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHeaderBytes || !await FillAsync(socket).ConfigureAwait(false))
            {
                return -1;
            }
        }

        return index;
    }

    private static bool TryParseChunkSize(ReadOnlySpan<byte> line, out long size)
    {
        var semicolon = line.IndexOf((byte)';');
        if (semicolon >= 0)
        {
            line = line[..semicolon];
        }

        return Utf8Parser.TryParse(line.Trim((byte)' '), out size, out var consumed, 'x') && consumed == line.Trim((byte)' ').Length && size >= 0;
    }

    /// <summary>Parses the status line and the headers that decide framing. <paramref name="head"/> ends with one CRLF.</summary>
    internal static bool TryParseHead(ReadOnlySpan<byte> head, out ResponseHead result)
    {
        result = new ResponseHead { ContentLength = -1 };
        var lineEnd = head.IndexOf("\r\n"u8);
        if (lineEnd < 12 || !head.StartsWith("HTTP/1."u8) || head[8] != (byte)' ' || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out var used) || used != 3)
        {
            return false;
        }

        result.Status = status;

        // HTTP/1.0 closes after the response unless it says keep-alive; we never ask for it, so assume close.
        result.Close = head[7] == (byte)'0';
        var rest = head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return false;
            }

            var line = rest[..lineEnd];
            rest = rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return false;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (!Utf8Parser.TryParse(value, out long length, out used) || used != value.Length || length < 0)
                {
                    return false;
                }

                result.ContentLength = length;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
            {
                result.Chunked = ContainsIgnoreCase(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                result.Close = ContainsIgnoreCase(value, "close"u8) || (result.Close && !ContainsIgnoreCase(value, "keep-alive"u8));
            }
        }

        return true;
    }

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        for (var i = 0; i + token.Length <= value.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(value.Slice(i, token.Length), token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the engine needs from a response head.</summary>
    internal struct ResponseHead
    {
        public int Status;
        public long ContentLength;
        public bool Chunked;
        public bool Close;
    }
}
