namespace Fitten.Codecs;

/// <summary>The response of a method that returns no value (<c>Task</c>, <c>ValueTask</c>): encodes to zero bytes.</summary>
public readonly record struct Unit;
