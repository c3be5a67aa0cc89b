namespace Fitten.AspNetCore.Http;

/// <summary>A contract method served over HTTP/JSON: its default route and, when it has one, its own route.</summary>
internal abstract class HttpJsonEndpoint(ContractMethod descriptor, string serviceName)
{
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_buffer;

    /// <summary>What the generator recorded about the method.</summary>
    public ContractMethod Descriptor { get; } = descriptor;

    /// <summary>The service the method belongs to.</summary>
    public string ServiceName { get; } = serviceName;

    /// <summary>The default route: <c>POST /{service}/{method}</c>.</summary>
    public string DefaultPattern => "/" + ServiceName + "/" + Descriptor.Name;

    /// <summary>A per-thread buffer for encoding one response; used and returned without an await in between.</summary>
    protected static System.Buffers.ArrayBufferWriter<byte> RentResponseBuffer()
    {
        var buffer = t_buffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        return buffer;
    }

    /// <summary>Keeps the buffer for the thread's next response unless one huge response grew it.</summary>
    protected static void ReturnResponseBuffer(System.Buffers.ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity > MaxKeptBuffer)
        {
            t_buffer = null;
        }
    }

    /// <summary>Serves the default route: the body is a JSON object of every parameter.</summary>
    public abstract Task HandleDefaultAsync(Microsoft.AspNetCore.Http.HttpContext context);

    /// <summary>Serves the method's own route: route, query and body as the generator bound them.</summary>
    public abstract Task HandleRouteAsync(Microsoft.AspNetCore.Http.HttpContext context);
}
