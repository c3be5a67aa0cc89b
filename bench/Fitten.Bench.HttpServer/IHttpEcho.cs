using Fitten;
using MemoryPack;

namespace Fitten.Bench.HttpServer;

/// <summary>The contract measured over HTTP/JSON; Program.cs maps the same two operations as Minimal API endpoints.</summary>
[FittenService("bench.http")]
public interface IHttpEcho
{
    /// <summary>POST with a JSON body, answered with it.</summary>
    [HttpPost("/fitten/echo")]
    ValueTask<EchoMessage> EchoAsync(EchoMessage message);

    /// <summary>GET with a route value and a query value.</summary>
    [HttpGet("/fitten/hello/{name}")]
    ValueTask<Hello> HelloAsync(string name, int times);
}

/// <summary>A small JSON message (~60 bytes).</summary>
[MemoryPackable]
public sealed partial record EchoMessage(string Text, int Number, bool Flag);

/// <summary>A greeting.</summary>
[MemoryPackable]
public sealed partial record Hello(string Greeting, int Times);
