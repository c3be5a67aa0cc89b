using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fitten.AspNetCore.Tests.Contracts;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Codecs;
using Microsoft.AspNetCore.Builder;

namespace Fitten.AspNetCore.Tests.Codecs;

/// <summary>Fitten RPC with the JSON codec named in metadata: the server decodes and answers in the caller's codec.</summary>
public sealed class JsonCodecEndToEndTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private WebApplication? _server;
    private string _address = null!;

    public async Task InitializeAsync()
    {
        _server = await GreeterServer.StartAsync();
        _address = _server.Urls.First();
    }

    public async Task DisposeAsync()
    {
        await _server!.StopAsync();
        await _server.DisposeAsync();
    }

    private FittenChannel Channel(FittenCodec codec) => new(FittenAddress.Parse(_address), new FittenChannelOptions { Codec = codec });

    [Fact]
    public async Task GeneratedClient_JsonCodec_RoundTripsEveryShape()
    {
        await using var channel = Channel(new JsonCodec(Options));
        var client = FittenContracts.CreateClient<IGreeter>(channel);

        Assert.Equal("hello json hello json", (await client.GreetAsync("json", 2)).Text);
        Assert.Equal(new Greeting("a,b", 3, DateTime.UnixEpoch), await client.FindAsync(3, ["a", "b"]));
        Assert.Null(await client.FindAsync(0, []));
        await client.ResetAsync();
        Assert.True(await client.CountAsync() >= 0);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.FailAsync("NotFound"));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task JsonCodec_PayloadIsJson_NotMemoryPack()
    {
        var codec = new RecordingCodec(new JsonCodec(Options));
        await using var channel = Channel(codec);
        var client = FittenContracts.CreateClient<IGreeter>(channel);

        await client.GreetAsync("wire", 1);

        Assert.Equal("""{"name":"wire","times":1}""", codec.LastRequest);
    }

    [Fact]
    public async Task UnknownCodec_InvalidArgument_NamingWhatTheMethodSpeaks()
    {
        await using var channel = Channel(new RecordingCodec(new JsonCodec(Options), name: "yaml"));
        var client = FittenContracts.CreateClient<IGreeter>(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.GreetAsync("x", 1));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("cannot be called with codec 'yaml'; it speaks memorypack, json", ex.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonPayloadThatDoesNotDecode_InvalidArgument_NamingTheMethod()
    {
        await using var channel = Channel(new RecordingCodec(new JsonCodec(Options), corrupt: true));
        var client = FittenContracts.CreateClient<IGreeter>(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.GreetAsync("x", 1));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("Failed to decode the request of test.greeter/Greet", ex.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MethodWithoutJsonShape_ClientFailsBeforeSending()
    {
        await using var channel = Channel(new JsonCodec(Options));
        var raw = new Method<byte[], byte[]>("test.raw", "Echo", BytesMarshaller.Instance, BytesMarshaller.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(raw, [1]));

        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.True(ex.NotProcessed);
        Assert.Contains("codec 'json' cannot carry test.raw/Echo", ex.Status.Message, StringComparison.Ordinal);
    }

    /// <summary>Wraps the JSON codec to see (or spoil) what goes on the wire, optionally under another name.</summary>
    private sealed class RecordingCodec(JsonCodec inner, string name = JsonCodec.CodecName, bool corrupt = false) : FittenCodec
    {
        public string? LastRequest { get; private set; }

        public override string Name => name;

        public override MethodCodec<TRequest, TResponse>? Bind<TRequest, TResponse>(Method<TRequest, TResponse> method)
            => inner.Bind(method) is { } binding ? binding with { Request = new Recording<TRequest>(binding.Request, this, name, corrupt) } : null;

        private sealed class Recording<T>(Marshaller<T> inner, RecordingCodec owner, string name, bool corrupt) : Marshaller<T>
        {
            public override string CodecName => name;

            public override void Serialize(T value, IBufferWriter<byte> output)
            {
                var buffer = new ArrayBufferWriter<byte>();
                inner.Serialize(value, buffer);
                owner.LastRequest = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
                output.Write(corrupt ? buffer.WrittenSpan[..^2] : buffer.WrittenSpan);
            }

            public override T Deserialize(ReadOnlySpan<byte> payload) => inner.Deserialize(payload);
        }
    }
}
