using System.Buffers;
using System.Text.Json;

namespace Fitten.Codecs;

/// <summary>
/// System.Text.Json as a Fitten codec ("json"): a method's parameters as one JSON object (its generated
/// <see cref="JsonArguments{T}"/>), its result as a JSON value. Types are looked up in <see cref="Options"/>; put a
/// source-generated JsonSerializerContext in them for reflection-free, Native AOT-safe encoding. The same encoding
/// is what the HTTP/JSON endpoints speak.
/// </summary>
public sealed class JsonCodec : FittenCodec
{
    /// <summary>The codec name carried in metadata.</summary>
    public const string CodecName = "json";

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static JsonCodec? t_writerOwner;

    private readonly JsonWriterOptions _writerOptions;
    private readonly JsonReaderOptions _readerOptions;

    /// <summary>Creates the codec.</summary>
    /// <param name="options">The serializer options; they become read-only on first use. Use web defaults (camelCase, case-insensitive) unless you need otherwise.</param>
    public JsonCodec(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _writerOptions = new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented, MaxDepth = options.MaxDepth };
        _readerOptions = new JsonReaderOptions { AllowTrailingCommas = options.AllowTrailingCommas, CommentHandling = options.ReadCommentHandling, MaxDepth = options.MaxDepth };
    }

    /// <inheritdoc/>
    public override string Name => CodecName;

    /// <summary>The serializer options every value goes through.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>Reader options matching <see cref="Options"/>.</summary>
    public JsonReaderOptions ReaderOptions => _readerOptions;

    /// <inheritdoc/>
    public override MethodCodec<TRequest, TResponse>? Bind<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.JsonArguments is not { } arguments)
        {
            return null;
        }

        return new MethodCodec<TRequest, TResponse>(new JsonArgumentsMarshaller<TRequest>(this, arguments), CreateValueMarshaller<TResponse>());
    }

    /// <summary>A marshaller for a single value of <typeparamref name="T"/> (a result); <see cref="Unit"/> encodes as nothing.</summary>
    public Marshaller<T> CreateValueMarshaller<T>()
        => typeof(T) == typeof(Unit) ? (Marshaller<T>)(object)UnitMarshaller.Instance : new JsonValueMarshaller<T>(this);

    /// <summary>A writer over <paramref name="output"/>, reused per thread; flush it before the output is read.</summary>
    public Utf8JsonWriter RentWriter(IBufferWriter<byte> output)
    {
        var writer = t_writer;
        if (writer is null || !ReferenceEquals(t_writerOwner, this))
        {
            writer = new Utf8JsonWriter(output, _writerOptions);
            t_writer = writer;
            t_writerOwner = this;
            return writer;
        }

        writer.Reset(output);
        return writer;
    }

    /// <summary>
    /// Reads a method's parameters from <paramref name="payload"/> with its generated <paramref name="arguments"/>, and
    /// nothing after them. An empty payload reads as <c>{}</c> (a method without parameters, or with only optional
    /// ones, may be called with no body at all). Throws <see cref="JsonException"/> on bad input.
    /// </summary>
    public T ReadArguments<T>(JsonArguments<T> arguments, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var reader = new Utf8JsonReader(payload.IsEmpty ? "{}"u8 : payload, _readerOptions);
        return ReadToEnd(arguments, ref reader);
    }

    /// <inheritdoc cref="ReadArguments{T}(JsonArguments{T}, ReadOnlySpan{byte})"/>
    public T ReadArguments<T>(JsonArguments<T> arguments, ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return ReadArguments(arguments, payload.FirstSpan);
        }

        ArgumentNullException.ThrowIfNull(arguments);
        var reader = new Utf8JsonReader(payload, _readerOptions);
        return ReadToEnd(arguments, ref reader);
    }

    /// <summary>Throws when anything but whitespace follows the value just read.</summary>
    public static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw InputErrors.Mark(new JsonException($"Unexpected {reader.TokenType} after the end of the JSON value."));
        }
    }

    private T ReadToEnd<T>(JsonArguments<T> arguments, ref Utf8JsonReader reader)
    {
        var value = arguments.Read(ref reader, Options);
        EnsureEnd(ref reader);
        return value;
    }

    private sealed class JsonArgumentsMarshaller<T>(JsonCodec codec, JsonArguments<T> arguments) : Marshaller<T>
    {
        public override string CodecName => JsonCodec.CodecName;

        public override void Serialize(T value, IBufferWriter<byte> output)
        {
            var writer = codec.RentWriter(output);
            arguments.Write(writer, value, codec.Options);
            writer.Flush();
        }

        public override T Deserialize(ReadOnlySpan<byte> payload) => codec.ReadArguments(arguments, payload);
    }

    private sealed class JsonValueMarshaller<T>(JsonCodec codec) : Marshaller<T>
    {
        // Looked up on first use, not when bound: a server binds every method at start-up, and one whose types have
        // no JSON metadata must still serve its default codec.
        private System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>? _typeInfo;

        public override string CodecName => JsonCodec.CodecName;

        private System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> TypeInfo => _typeInfo ??= JsonArgs.TypeInfo<T>(codec.Options);

        public override void Serialize(T value, IBufferWriter<byte> output)
        {
            var writer = codec.RentWriter(output);
            JsonSerializer.Serialize(writer, value, TypeInfo);
            writer.Flush();
        }

        public override T Deserialize(ReadOnlySpan<byte> payload) => JsonSerializer.Deserialize(payload, TypeInfo)!;
    }
}
