// A plain Kestrel /ping endpoint for measuring the load generator itself (budget P7).
// Usage: dotnet run -c Release --project bench/Fitten.Bench.PlainServer -- --urls http://127.0.0.1:5080
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var pong = "pong"u8.ToArray();
app.Run(context =>
{
    if (context.Request.Path != "/ping")
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    context.Response.ContentType = "text/plain";
    context.Response.ContentLength = pong.Length;
    return context.Response.Body.WriteAsync(pong).AsTask();
});
app.Run();
