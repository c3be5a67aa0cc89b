namespace Fitten;

/// <summary>A status code and a human-readable message.</summary>
/// <param name="Code">The code.</param>
/// <param name="Message">What happened, for a person; empty on success.</param>
public readonly record struct Status(StatusCode Code, string Message)
{
    /// <summary>Success with no message.</summary>
    public static Status Ok => new(StatusCode.OK, string.Empty);

    private static readonly string[] CodeNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>
    /// The code's name as gRPC spells it (<c>DEADLINE_EXCEEDED</c>), used in telemetry and reports. Cached strings:
    /// asking allocates nothing.
    /// </summary>
    public static string CodeName(StatusCode code)
        => (uint)code < (uint)CodeNames.Length ? CodeNames[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => Message.Length == 0 ? Code.ToString() : $"{Code}: {Message}";
}
