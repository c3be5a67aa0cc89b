namespace Fitten;

/// <summary>
/// A call's outcome. The numbers and meanings are gRPC's (grpc/doc/statuscodes.md), so operators and tools
/// that know gRPC read Fitten statuses the same way.
/// </summary>
public enum StatusCode
{
    /// <summary>Success.</summary>
    OK = 0,

    /// <summary>The caller cancelled the call.</summary>
    Cancelled = 1,

    /// <summary>An error with no better code.</summary>
    Unknown = 2,

    /// <summary>The request is invalid regardless of system state (includes a request that does not decode).</summary>
    InvalidArgument = 3,

    /// <summary>The deadline passed before the call completed.</summary>
    DeadlineExceeded = 4,

    /// <summary>A requested entity was not found.</summary>
    NotFound = 5,

    /// <summary>The entity the caller tried to create already exists.</summary>
    AlreadyExists = 6,

    /// <summary>The caller may not do this.</summary>
    PermissionDenied = 7,

    /// <summary>A resource or limit is exhausted (rate limit, concurrency limit, message size).</summary>
    ResourceExhausted = 8,

    /// <summary>The system is not in a state the operation requires.</summary>
    FailedPrecondition = 9,

    /// <summary>Aborted, typically by a concurrency conflict.</summary>
    Aborted = 10,

    /// <summary>Operation attempted past a valid range.</summary>
    OutOfRange = 11,

    /// <summary>The method is not implemented or not known to the server.</summary>
    Unimplemented = 12,

    /// <summary>An internal invariant broke (e.g. a handler threw). Details stay on the server.</summary>
    Internal = 13,

    /// <summary>The service is currently unavailable; a retry (with backoff) may succeed.</summary>
    Unavailable = 14,

    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,

    /// <summary>The caller has no valid credentials.</summary>
    Unauthenticated = 16,
}
