using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Fitten.AspNetCore.Hosting;
using Fitten.AspNetCore.Tests.Contracts;
using Fitten.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Http;

/// <summary>A contract served over HTTP/JSON by MapFitten, called with a plain HttpClient over a real socket.</summary>
public sealed class HttpJsonEndpointTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider _logs = new();
    private WebApplication? _app;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(_logs);
        builder.Services.AddFitten(o => o.Limits.MaxFrameSize = 64 * 1024).AddService<IGreeter, Greeter>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapFitten();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app!.StopAsync();
        await _app.DisposeAsync();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string detailPart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultRoute_JsonObjectOfParameters_AnswersResultAsJson()
    {
        using var response = await _http.PostAsync("/test.greeter/Greet", Json("""{"name":"fitten","times":2}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var greeting = await ReadJsonAsync(response);
        Assert.Equal("hello fitten hello fitten", greeting.GetProperty("text").GetString());
        Assert.Equal(25, greeting.GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task DefaultRoute_PropertyNamesAnyCase_UnknownPropertiesSkipped()
    {
        using var response = await _http.PostAsync("/test.greeter/Greet", Json("""{"NAME":"x","extra":{"a":[1,2]},"Times":1}"""));

        Assert.Equal("hello x", (await ReadJsonAsync(response)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task DefaultRoute_NoParameters_TakesEmptyBody()
    {
        using var response = await _http.PostAsync("/test.greeter/Count", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Number, (await ReadJsonAsync(response)).ValueKind);
    }

    [Fact]
    public async Task OwnRoute_RouteAndQueryBinding()
    {
        using var response = await _http.GetAsync("/greetings/ada?times=3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello ada hello ada hello ada", (await ReadJsonAsync(response)).GetProperty("text").GetString());
    }

    [Fact]
    public async Task OwnRoute_RouteValueAndJsonBody()
    {
        using var response = await _http.PostAsync("/greetings/7/find", Json("""["x","y"]"""));

        var greeting = await ReadJsonAsync(response);
        Assert.Equal("x,y", greeting.GetProperty("text").GetString());
        Assert.Equal(7, greeting.GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task NullResult_IsJsonNull()
    {
        using var response = await _http.PostAsync("/greetings/0/find", Json("[]"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("null", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task VoidMethod_Answers204()
    {
        using var response = await _http.DeleteAsync("/counter");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task MissingRequiredQueryParameter_400NamesIt()
    {
        using var response = await _http.GetAsync("/greetings/ada");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "'times' is required");
    }

    [Fact]
    public async Task UnparsableRouteOrQueryValue_400()
    {
        using var response = await _http.GetAsync("/greetings/ada?times=many");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "'times' must be a Int32; 'many' is not one");
    }

    [Fact]
    public async Task RouteConstraintNotMet_404()
    {
        using var response = await _http.PostAsync("/greetings/seven/find", Json("[]"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"x","times":""", "test.greeter/Greet")]
    [InlineData("""{"name":"x","times":"two"}""", "test.greeter/Greet")]
    [InlineData("""["x"]""", "Expected a JSON object")]
    [InlineData("""{"name":"x","times":1} trailing""", "test.greeter/Greet")]
    [InlineData("""{"times":1}""", "'name' is required")]
    public async Task MalformedBody_400NamesTheMethod(string body, string detailPart)
    {
        using var response = await _http.PostAsync("/test.greeter/Greet", Json(body));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", detailPart);
    }

    [Fact]
    public async Task NotJsonContentType_415()
    {
        using var response = await _http.PostAsync("/test.greeter/Greet", new StringContent("name=x&times=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "INVALID_ARGUMENT", "application/json");
    }

    [Theory]
    [InlineData("/test.greeter/Greet", null)]
    [InlineData("/test.greeter/Greet", "text/plain")]
    [InlineData("/test.greeter/Greet", "multipart/form-data; boundary=x")]
    [InlineData("/test.greeter/Greet", "application/x-www-form-urlencoded")]
    [InlineData("/test.greeter/Count", null)]
    [InlineData("/greetings/7/find", null)]
    [InlineData("/greetings/7/find", "text/plain")]
    public async Task BodyWithoutJsonContentType_415_HandlerNotRun(string path, string? contentType)
    {
        // Without a content type (or with one a form can send) a browser sends the body cross-site with no CORS
        // preflight; only application/json makes it ask first.
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(path.StartsWith("/greetings", StringComparison.Ordinal) ? """["x"]""" : """{"name":"x","times":1}"""));
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await _http.PostAsync(path, content);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "INVALID_ARGUMENT", "application/json");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    [InlineData("application/vnd.fitten+json")]
    public async Task JsonContentTypes_Accepted(string contentType)
    {
        var content = new ByteArrayContent("""{"name":"x","times":1}"""u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await _http.PostAsync("/test.greeter/Greet", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task NoBodyAtAll_NeedsNoContentType()
    {
        using var count = await _http.PostAsync("/test.greeter/Count", content: null);
        using var reset = await _http.DeleteAsync("/counter");
        using var greet = await _http.GetAsync("/greetings/ada?times=1");

        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, greet.StatusCode);
    }

    [Fact]
    public async Task BodyOverTheLimit_413_AndTheServerKeepsServing()
    {
        string name = new('n', 70 * 1024);
        using var tooLarge = await _http.PostAsync("/test.greeter/Greet", Json($$"""{"name":"{{name}}","times":1}"""));
        await AssertProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge, "RESOURCE_EXHAUSTED", "65536 bytes");

        // Chunked (no Content-Length): the limit holds while reading, too.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"name":"{{name}}","times":1}""")));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test.greeter/Greet") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);

        using var ok = await _http.PostAsync("/test.greeter/Greet", Json("""{"name":"x","times":1}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("InvalidArgument", HttpStatusCode.BadRequest, "INVALID_ARGUMENT")]
    [InlineData("NotFound", HttpStatusCode.NotFound, "NOT_FOUND")]
    [InlineData("ResourceExhausted", HttpStatusCode.TooManyRequests, "RESOURCE_EXHAUSTED")]
    [InlineData("Unavailable", HttpStatusCode.ServiceUnavailable, "UNAVAILABLE")]
    [InlineData("DeadlineExceeded", HttpStatusCode.GatewayTimeout, "DEADLINE_EXCEEDED")]
    [InlineData("Internal", HttpStatusCode.InternalServerError, "INTERNAL")]
    [InlineData("AlreadyExists", HttpStatusCode.Conflict, "ALREADY_EXISTS")]
    [InlineData("Unauthenticated", HttpStatusCode.Unauthorized, "UNAUTHENTICATED")]
    public async Task RpcException_MapsToHttpStatusWithProblemDetails(string status, HttpStatusCode expected, string code)
    {
        using var response = await _http.PostAsync("/test.greeter/Fail", Json($$"""{"status":"{{status}}"}"""));

        await AssertProblemAsync(response, expected, code, "failed on purpose");
        Assert.Equal("test.greeter/Fail", (await ReadJsonAsync(response)).GetProperty("method").GetString());
    }

    [Fact]
    public async Task HandlerThrows_500WithoutDetails_AndLogged()
    {
        using var response = await _http.PostAsync("/test.greeter/Throw", Json("""{"message":"secret detail"}"""));

        await AssertProblemAsync(response, HttpStatusCode.InternalServerError, "INTERNAL", "Exception was thrown by handler.");
        Assert.DoesNotContain("secret detail", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(_logs.Records, e => e.EventId.Name == "HandlerFailed" && e.Exception?.Message == "secret detail");
    }

    [Fact]
    public async Task TimeoutHeader_DeadlinePasses_504AndHandlerCancelled()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test.greeter/Wait") { Content = Json("""{"milliseconds":30000}""") };
        request.Headers.Add("fitten-timeout", "100ms");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        using var response = await _http.SendAsync(request, cts.Token);

        await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout, "DEADLINE_EXCEEDED", "Deadline exceeded.");
    }

    [Fact]
    public async Task TimeoutHeader_LongerThanTheCall_Answers200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test.greeter/Wait") { Content = Json("""{"milliseconds":1}""") };
        request.Headers.Add("fitten-timeout", "10s");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"waited\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TimeoutHeader_Invalid_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/test.greeter/Wait") { Content = Json("""{"milliseconds":1}""") };
        request.Headers.Add("fitten-timeout", "soon");

        using var response = await _http.SendAsync(request);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "INVALID_ARGUMENT", "fitten-timeout header");
    }

    [Theory]
    [InlineData("250", 250)]
    [InlineData("250ms", 250)]
    [InlineData(" 2s ", 2000)]
    [InlineData("1.5s", 1500)]
    [InlineData("0", -1)]
    [InlineData("-5", -1)]
    [InlineData("5m", -1)]
    [InlineData("", -1)]
    [InlineData("99999999999", -1)]
    public void TimeoutHeader_Parsing(string value, double expectedMilliseconds)
    {
        bool ok = Fitten.AspNetCore.Http.HttpServerCallContext.TryParseTimeout(value, out var timeout);

        Assert.Equal(expectedMilliseconds > 0, ok);
        if (ok)
        {
            Assert.Equal(expectedMilliseconds, timeout.TotalMilliseconds);
        }
    }

    [Fact]
    public async Task UnknownMethod_404()
    {
        using var response = await _http.PostAsync("/test.greeter/Nope", Json("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DefaultRoute_OnlyPost()
    {
        using var response = await _http.GetAsync("/test.greeter/Greet");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
