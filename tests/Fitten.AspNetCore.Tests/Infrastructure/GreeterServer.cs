using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>The test contract <see cref="IGreeter"/> served over Fitten RPC on a loopback port, for end-to-end tests.</summary>
internal static class GreeterServer
{
    /// <summary>Starts the server; its RPC address is <c>Urls.First()</c>.</summary>
    public static async Task<WebApplication> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten().AddService<IGreeter, Greeter>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseFitten()));
        var server = builder.Build();
        await server.StartAsync();
        return server;
    }
}
