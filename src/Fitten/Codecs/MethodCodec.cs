namespace Fitten.Codecs;

/// <summary>A method's request and response marshallers for one codec.</summary>
/// <param name="Request">Encodes requests.</param>
/// <param name="Response">Encodes responses.</param>
public sealed record MethodCodec<TRequest, TResponse>(Marshaller<TRequest> Request, Marshaller<TResponse> Response);
