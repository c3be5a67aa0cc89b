using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Protocol;

namespace Fitten.AspNetCore.Tests.Server;

/// <summary>The worked example at the end of docs/protocol.md, byte for byte, against a real server.</summary>
public class ProtocolDocumentTests
{
    [Fact]
    public async Task DocumentedExample_ServerAnswersWithTheDocumentedBytes()
    {
        await using var server = await FittenTestServer.StartAsync();
        await using var raw = await RawFittenConnection.ConnectAsync(server.EndPoint, sendPreface: false);

        await raw.SendAsync(Convert.FromHexString(
            "F146495454454E01" +
            "0000000C000000000000" + "000100400000" + "000300002000" +
            "0000001B010100000001" + "00000014" + "010E746573742E6563686F2F4563686F" + "0290A10F" + "010203"));

        var settings = await raw.ReadFrameAsync();
        Assert.Equal(FrameType.Settings, settings!.Header.Type);
        var response = await raw.ReadFrameAsync(FrameType.Response);
        Assert.Equal("00000007020100000001" + "00000000" + "010203", Convert.ToHexString(Frame(response!)));
    }

    private static byte[] Frame(ReceivedFrame frame)
    {
        var bytes = new byte[FrameHeader.Size + frame.Payload.Length];
        frame.Header.Write(bytes);
        frame.Payload.CopyTo(bytes, FrameHeader.Size);
        return bytes;
    }
}
