using System.Net;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Http;
using Fitten.AspNetCore.Tests.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;

namespace Fitten.AspNetCore.Tests.Http;

/// <summary>The OpenAPI document MapFitten serves: valid OpenAPI 3 that lists every HTTP/JSON route of the served contracts.</summary>
public sealed class OpenApiDocumentTests
{
    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(Action<Fitten.AspNetCore.Server.FittenServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFitten(configure).AddService<IGreeter, Greeter>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapFitten();
        app.MapGet("/minimal/ping", static () => "pong"); // a Minimal API endpoint shares the document
        await app.StartAsync();
        return (app, new HttpClient { BaseAddress = new Uri(app.Urls.First()) });
    }

    [Fact]
    public async Task Document_Parses_AndListsEveryRoute()
    {
        var (app, http) = await StartAsync();
        await using var _ = app;
        using var __ = http;

        string json = await http.GetStringAsync("/openapi/v1.json");
        var result = OpenApiDocument.Parse(json, "json");

        Assert.Empty(result.Diagnostic?.Errors ?? []);
        var document = Assert.IsType<OpenApiDocument>(result.Document);
        Assert.StartsWith("3.", result.Diagnostic!.SpecificationVersion.ToString().Replace("OpenApi", string.Empty).Replace('_', '.'), StringComparison.Ordinal);
        var contract = FittenContracts.Get<IGreeter>();
        foreach (var method in contract.Methods)
        {
            var defaultPath = Assert.Contains("/test.greeter/" + method.Name, document.Paths);
            Assert.Contains(HttpMethod.Post, defaultPath.Operations!);
            if (method.Route is { } route)
            {
                var own = Assert.Contains(FittenOpenApiTransformer.OpenApiPath(route.Template), document.Paths);
                Assert.Contains(new HttpMethod(route.HttpMethod), own.Operations!);
            }
        }

        Assert.Contains("/minimal/ping", document.Paths);
    }

    [Fact]
    public async Task Document_DescribesParametersBodiesAndResults()
    {
        var (app, http) = await StartAsync();
        await using var _ = app;
        using var __ = http;

        var document = OpenApiDocument.Parse(await http.GetStringAsync("/openapi/v1.json"), "json").Document!;

        var greet = document.Paths["/greetings/{name}"].Operations![HttpMethod.Get];
        Assert.Collection(
            greet.Parameters!.OrderBy(p => p.Name),
            name => Assert.Equal((ParameterLocation.Path, true), (name.In!.Value, name.Required)),
            times => Assert.Equal((ParameterLocation.Query, true), (times.In!.Value, times.Required)));
        Assert.Contains("200", greet.Responses!);
        Assert.Contains("application/problem+json", greet.Responses!["default"].Content!);

        var defaultGreet = document.Paths["/test.greeter/Greet"].Operations![HttpMethod.Post];
        var body = defaultGreet.RequestBody!.Content!["application/json"].Schema!;
        Assert.Equal(["name", "times"], body.Properties!.Keys.Order());
        Assert.Equal(["name", "times"], body.Required!.Order());

        var reset = document.Paths["/counter"].Operations![HttpMethod.Delete];
        Assert.Contains("204", reset.Responses!);
        var find = document.Paths["/greetings/{id}/find"].Operations![HttpMethod.Post];
        Assert.Equal(["application/json"], find.RequestBody!.Content!.Keys);
        Assert.Equal(["application/json"], defaultGreet.RequestBody.Content.Keys);
    }

    [Fact]
    public async Task OpenApiRouteNull_NoDocumentMapped()
    {
        var (app, http) = await StartAsync(o => o.OpenApiRoute = null);
        await using var _ = app;
        using var __ = http;

        using var response = await http.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiRouteWithoutDocumentName_FailsAtStartup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddFitten(o => o.OpenApiRoute = "/swagger.json");
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();

        var ex = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("OpenApiRoute must start with '/' and contain '{documentName}'", ex.Message, StringComparison.Ordinal);
    }
}
