using System.Diagnostics;

namespace Fitten.Internal;

/// <summary>
/// A call's deadline as a <see cref="Stopwatch.GetTimestamp"/> value (<see cref="None"/> when it has none): monotonic,
/// so wall-clock changes cannot move it. One place for the arithmetic every stage that waits needs.
/// </summary>
internal static class Deadline
{
    /// <summary>No deadline.</summary>
    public const long None = long.MaxValue;

    /// <summary>Time left until <paramref name="deadline"/>, zero once it has passed; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public static TimeSpan Remaining(long deadline)
        => deadline == None ? Timeout.InfiniteTimeSpan : Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Math.Max(deadline, Stopwatch.GetTimestamp()));
}
