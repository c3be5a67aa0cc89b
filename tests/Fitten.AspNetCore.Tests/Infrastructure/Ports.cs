namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Theory data that runs a case on a dedicated Fitten port (false) and on a shared, sniffing one (true): the same
/// input must earn the same answer on both.
/// </summary>
public static class Ports
{
    /// <summary>Each port kind once.</summary>
    public static TheoryData<bool> Both => new() { false, true };

    /// <summary>Each of <paramref name="values"/> on each port kind: rows of (shared, value).</summary>
    public static TheoryData<bool, T> Each<T>(params T[] values)
    {
        var rows = new TheoryData<bool, T>();
        foreach (var value in values)
        {
            rows.Add(false, value);
            rows.Add(true, value);
        }

        return rows;
    }
}
