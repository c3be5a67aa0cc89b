namespace Fitten;

/// <summary>A status code and a human-readable message.</summary>
/// <param name="Code">The code.</param>
/// <param name="Message">What happened, for a person; empty on success.</param>
public readonly record struct Status(StatusCode Code, string Message)
{
    /// <summary>Success with no message.</summary>
    public static Status Ok => new(StatusCode.OK, string.Empty);

    /// <inheritdoc/>
    public override string ToString() => Message.Length == 0 ? Code.ToString() : $"{Code}: {Message}";
}
