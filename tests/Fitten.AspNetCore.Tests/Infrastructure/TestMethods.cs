using System.Buffers;
using System.Text;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>Methods the functional tests serve and call.</summary>
public static class TestMethods
{
    public static readonly Method<byte[], byte[]> Echo = new("test.echo", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance, idempotent: true);

    /// <summary>Request: delay in ms as text; waits that long (honouring cancellation) and answers the same text.</summary>
    public static readonly Method<string, string> Delay = new("test.echo", "Delay", Utf8Marshaller.Instance, Utf8Marshaller.Instance);

    /// <summary>Request: delay in ms as text; waits that long ignoring cancellation (a handler that does not honour its token).</summary>
    public static readonly Method<string, string> Sleep = new("test.echo", "Sleep", Utf8Marshaller.Instance, Utf8Marshaller.Instance);

    /// <summary>Throws an exception whose message must not reach the client.</summary>
    public static readonly Method<string, string> Throw = new("test.echo", "Throw", Utf8Marshaller.Instance, Utf8Marshaller.Instance);

    /// <summary>Answers with the status code named in the request, as an RpcException.</summary>
    public static readonly Method<string, string> Fail = new("test.echo", "Fail", Utf8Marshaller.Instance, Utf8Marshaller.Instance);

    /// <summary>Answers with what the server saw of the call: caller, headers, deadline.</summary>
    public static readonly Method<string, string> Inspect = new("test.echo", "Inspect", Utf8Marshaller.Instance, Utf8Marshaller.Instance);

    /// <summary>Its request marshaller rejects everything: exercises INVALID_ARGUMENT for undecodable payloads.</summary>
    public static readonly Method<string, string> Strict = new("test.echo", "Strict", RejectingMarshaller.Instance, Utf8Marshaller.Instance);

    public sealed class Utf8Marshaller : Marshaller<string>
    {
        public static readonly Utf8Marshaller Instance = new();

        public override string CodecName => "utf8";

        public override void Serialize(string value, IBufferWriter<byte> output) => output.Write(Encoding.UTF8.GetBytes(value));

        public override string Deserialize(ReadOnlySpan<byte> payload) => Encoding.UTF8.GetString(payload);
    }

    public sealed class RejectingMarshaller : Marshaller<string>
    {
        public static readonly RejectingMarshaller Instance = new();

        public override string CodecName => "strict";

        public override void Serialize(string value, IBufferWriter<byte> output) => output.Write(Encoding.UTF8.GetBytes(value));

        public override string Deserialize(ReadOnlySpan<byte> payload) => throw new FormatException("payload is not a valid strict message");
    }
}
