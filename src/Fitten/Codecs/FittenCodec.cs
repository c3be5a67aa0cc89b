namespace Fitten.Codecs;

/// <summary>
/// A payload encoding a caller may choose per channel, named in the request's metadata (<c>codec</c> entry) so the
/// server answers in kind. A method's own marshallers are its default codec (MemoryPack for generated contracts);
/// a codec here is an alternative the method can be bound to, e.g. <see cref="JsonCodec"/>.
/// </summary>
public abstract class FittenCodec
{
    /// <summary>The name carried in metadata, e.g. "json". Compared ordinally.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The marshallers that encode <paramref name="method"/>'s messages with this codec, or null when this codec
    /// cannot carry the method (e.g. a hand-written method with no JSON shape). Called once per method and codec;
    /// the result is cached by the caller.
    /// </summary>
    public abstract MethodCodec<TRequest, TResponse>? Bind<TRequest, TResponse>(Method<TRequest, TResponse> method);
}
