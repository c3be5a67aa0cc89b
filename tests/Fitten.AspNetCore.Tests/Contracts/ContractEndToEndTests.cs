using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Infrastructure;
using Fitten.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Contracts;

/// <summary>A contract interface served and called through generated code, over real sockets.</summary>
public sealed class ContractEndToEndTests : IAsyncLifetime
{
    private WebApplication? _server;
    private WebApplication? _clientHost;
    private IGreeter _client = null!;

    public async Task InitializeAsync()
    {
        _server = await GreeterServer.StartAsync();

        var clientBuilder = WebApplication.CreateSlimBuilder();
        clientBuilder.Services.AddFitten().AddClient<IGreeter>(_server.Urls.First());
        _clientHost = clientBuilder.Build();
        _client = _clientHost.Services.GetRequiredService<IGreeter>();
    }

    public async Task DisposeAsync()
    {
        await _clientHost!.DisposeAsync();
        await _server!.StopAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GeneratedClient_SeveralParametersAndDto_RoundTrip()
    {
        var greeting = await _client.GreetAsync("fitten", 2);

        Assert.Equal(new Greeting("hello fitten hello fitten", 25, new DateTime(2026, 11, 22, 0, 0, 0, DateTimeKind.Utc)), greeting);
    }

    [Fact]
    public async Task GeneratedClient_TaskAndVoidMethods_Work()
    {
        await _client.ResetAsync();
        await _client.GreetAsync("a", 1);
        await _client.GreetAsync("b", 1);

        Assert.True(await _client.CountAsync() >= 2);
        Assert.Equal(new Greeting("x,y", 7, DateTime.UnixEpoch), await _client.FindAsync(7, ["x", "y"]));
        Assert.Null(await _client.FindAsync(0, []));
    }

    [Fact]
    public async Task GeneratedClient_ServerThrowsRpcException_ClientSeesStatus()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.FailAsync("NotFound"));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task GeneratedClient_CancellationToken_CancelsTheCall()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var ex = await Assert.ThrowsAsync<RpcException>(() => _client.WaitAsync(5000, cts.Token).AsTask());

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public void Descriptor_ListsMethodsWithWireNamesAndIdempotency()
    {
        var contract = FittenContracts.Get<IGreeter>();

        Assert.Equal("test.greeter", contract.ServiceName);
        Assert.Equal(["Greet", "Count", "Reset", "Find", "Throw", "Fail", "Wait"], contract.Methods.Select(m => m.Name));
        Assert.True(contract.Methods[0].IsIdempotent);
        Assert.False(contract.Methods[1].IsIdempotent);
        Assert.Equal(new HttpRoute("GET", "/greetings/{name}"), contract.Methods[0].Route);
        Assert.Equal(
            [new ContractParameter("name", typeof(string), true, HttpParameterSource.Route), new ContractParameter("times", typeof(int), true, HttpParameterSource.Query)],
            contract.Methods[0].Parameters);
        Assert.Equal(typeof(Greeting), contract.Methods[0].ResultType);
        Assert.Null(contract.Methods[1].Route);
        Assert.Equal(typeof(Fitten.Codecs.Unit), contract.Methods[2].ResultType);
    }

    [Fact]
    public async Task WrongPayloadForMethod_ServerAnswersInvalidArgumentNamingTheMethod()
    {
        // A bytes request to a generated method: MemoryPack cannot read a string and an int out of it.
        await using var channel = new FittenChannel(new IPEndPoint(IPAddress.Loopback, new Uri(_server!.Urls.First()).Port));
        var raw = new Method<byte[], byte[]>("test.greeter", "Greet", BytesMarshaller.Instance, BytesMarshaller.Instance);

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.InvokeAsync(raw, [0xFF, 0xFF, 0xFF]).AsTask());

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("test.greeter/Greet", ex.Status.Message);
    }

    [Fact]
    public void NotAContract_ClearError()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FittenContracts.Get<IDisposable>());

        Assert.Contains("[FittenService", ex.Message);
    }
}
