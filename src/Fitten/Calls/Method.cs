using System.Text;

namespace Fitten;

/// <summary>
/// Describes one unary method: its names, how its messages are encoded, and whether it is safe to retry.
/// Generated code makes one static instance per contract method; hand-written code may too.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class Method<TRequest, TResponse>
{
    /// <summary>Creates a method descriptor.</summary>
    /// <param name="serviceName">The service, e.g. "shop.orders". Letters, digits, '.', '_' and '-'.</param>
    /// <param name="name">The method, e.g. "Get". Letters, digits and '_'.</param>
    /// <param name="requestMarshaller">Encodes requests.</param>
    /// <param name="responseMarshaller">Encodes responses.</param>
    /// <param name="idempotent">Whether running the call twice is harmless, so retries and hedging may repeat it.</param>
    public Method(string serviceName, string name, Marshaller<TRequest> requestMarshaller, Marshaller<TResponse> responseMarshaller, bool idempotent = false)
    {
        MethodNames.Validate(serviceName, name);
        ArgumentNullException.ThrowIfNull(requestMarshaller);
        ArgumentNullException.ThrowIfNull(responseMarshaller);
        ServiceName = serviceName;
        Name = name;
        FullName = serviceName + "/" + name;
        FullNameUtf8 = Encoding.UTF8.GetBytes(FullName);
        RequestMarshaller = requestMarshaller;
        ResponseMarshaller = responseMarshaller;
        IsIdempotent = idempotent;
    }

    /// <summary>The service name.</summary>
    public string ServiceName { get; }

    /// <summary>The method name within the service.</summary>
    public string Name { get; }

    /// <summary>"service/method", as carried on the wire.</summary>
    public string FullName { get; }

    /// <summary>Whether the method is safe to run more than once.</summary>
    public bool IsIdempotent { get; }

    /// <summary>Encodes requests.</summary>
    public Marshaller<TRequest> RequestMarshaller { get; }

    /// <summary>Encodes responses.</summary>
    public Marshaller<TResponse> ResponseMarshaller { get; }

    /// <summary>The full name pre-encoded once, so writing a request copies bytes instead of encoding a string.</summary>
    internal byte[] FullNameUtf8 { get; }

    /// <inheritdoc/>
    public override string ToString() => FullName;
}
