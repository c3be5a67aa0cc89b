using System.Buffers;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Fitten.Codecs;
using Fitten.Discovery;

namespace Fitten.AspNetCore.Tests.Discovery;

/// <summary>The balancer's books (calls in flight per instance) balance on every outcome, not only on statuses.</summary>
public sealed class ServiceChannelBookkeepingTests
{
    /// <summary>A request marshaller that fails, as a serializer does on a value it cannot write.</summary>
    private sealed class FailingMarshaller : Marshaller<string>
    {
        public override string CodecName => "utf8";

        public override void Serialize(string value, IBufferWriter<byte> output) => throw new NotSupportedException("cannot write this value");

        public override string Deserialize(ReadOnlySpan<byte> payload) => throw new NotSupportedException();
    }

    [Fact]
    public async Task RequestSerializerThrows_CallFailsInternal_InFlightCountReturnsToZero()
    {
        await using var server = await InstanceServer.StartAsync();
        var registry = new InProcessRegistry();
        await registry.RegisterAsync(server.Instance());
        await using var channel = new ServiceChannel(InstanceServer.Service, registry);
        var unwritable = new Method<string, string>(InstanceServer.Service, "Whoami", new FailingMarshaller(), TestMethods.Utf8Marshaller.Instance);
        await channel.InvokeAsync(InstanceServer.Whoami, "");

        for (int i = 0; i < 3; i++)
        {
            var ex = await Assert.ThrowsAsync<RpcException>(async () => await channel.InvokeAsync(unwritable, "x"));
            Assert.Equal(StatusCode.Internal, ex.StatusCode);
            Assert.Contains("Whoami", ex.Status.Message, StringComparison.Ordinal);
        }

        Assert.All(channel.Endpoints, e => Assert.Equal(0, e.InFlight));
    }
}
