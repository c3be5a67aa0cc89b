using System.Text;
using Fitten.Codecs;

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
        _defaultCodec = new MethodCodec<TRequest, TResponse>(requestMarshaller, responseMarshaller);
    }

    private readonly MethodCodec<TRequest, TResponse> _defaultCodec;

    /// <summary>A small number unique to this method in the process: the index of its composed chain in a pipeline.</summary>
    internal int Id { get; } = MethodIds.Next();
    private TimeSpan? _timeout;
    private volatile CodecEntry? _lastCodec;

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

    /// <summary>
    /// The method's parameters as JSON (generated for contract methods), which the JSON codec and the HTTP/JSON
    /// endpoints use; null when the method has no JSON shape.
    /// </summary>
    public JsonArguments<TRequest>? JsonArguments { get; init; }

    /// <summary>
    /// The client-side timeout of calls that set none, overriding the channel's default (<c>[FittenMethod(TimeoutMilliseconds)]</c>).
    /// Null: the channel's default.
    /// </summary>
    public TimeSpan? Timeout
    {
        get => _timeout;
        init
        {
            if (value is { } timeout && timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(Timeout), timeout, "A method timeout must be positive or infinite.");
            }

            _timeout = value;
        }
    }

    /// <summary>The name of the default codec: the one used when a call names none.</summary>
    public string DefaultCodecName => RequestMarshaller is UnitMarshaller ? ResponseMarshaller.CodecName : RequestMarshaller.CodecName;

    /// <summary>
    /// The marshallers for <paramref name="codec"/>: the method's own when the codec is null or its default, else
    /// the codec's binding (cached), or null when the codec cannot carry this method.
    /// </summary>
    public MethodCodec<TRequest, TResponse>? GetCodec(FittenCodec? codec)
    {
        if (codec is null || codec.Name == DefaultCodecName)
        {
            return _defaultCodec;
        }

        var cached = _lastCodec;
        if (cached is not null && ReferenceEquals(cached.Codec, codec))
        {
            return cached.Binding;
        }

        // One entry covers the usual case (one channel codec per method); other codecs re-bind, which is cheap.
        var binding = codec.Bind(this);
        _lastCodec = new CodecEntry(codec, binding);
        return binding;
    }

    /// <summary>The full name pre-encoded once, so writing a request copies bytes instead of encoding a string.</summary>
    internal byte[] FullNameUtf8 { get; }

    /// <inheritdoc/>
    public override string ToString() => FullName;

    private sealed record CodecEntry(FittenCodec Codec, MethodCodec<TRequest, TResponse>? Binding);
}
