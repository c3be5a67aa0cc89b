using System.Globalization;

namespace Fitten.Bench.Load;

/// <summary>Reads and writes durations the way the command line spells them: <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>250us</c>.</summary>
public static class DurationParser
{
    /// <summary>Parses a duration; a bare number means seconds (as in wrk).</summary>
    /// <param name="text">For example <c>10s</c>, <c>1.5s</c>, <c>200ms</c>, <c>2m</c>.</param>
    /// <exception cref="FormatException">The text is not a duration.</exception>
    public static TimeSpan Parse(string text)
    {
        if (!TryParse(text, out var value))
        {
            throw new FormatException($"'{text}' is not a duration; use e.g. 500ms, 10s, 2m");
        }

        return value;
    }

    /// <summary>Tries to parse a duration; see <see cref="Parse"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The duration, when the text is valid.</param>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        double scaleMicros;
        if (s.EndsWith("ms", StringComparison.OrdinalIgnoreCase))
        {
            scaleMicros = 1_000;
            s = s[..^2];
        }
        else if (s.EndsWith("us", StringComparison.OrdinalIgnoreCase) || s.EndsWith("µs", StringComparison.Ordinal))
        {
            scaleMicros = 1;
            s = s[..^2];
        }
        else if (s.EndsWith('s') || s.EndsWith('S'))
        {
            scaleMicros = 1_000_000;
            s = s[..^1];
        }
        else if (s.EndsWith('m') || s.EndsWith('M'))
        {
            scaleMicros = 60_000_000;
            s = s[..^1];
        }
        else if (s.EndsWith('h') || s.EndsWith('H'))
        {
            scaleMicros = 3_600_000_000;
            s = s[..^1];
        }
        else
        {
            scaleMicros = 1_000_000;
        }

        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || double.IsNaN(number) || double.IsInfinity(number))
        {
            return false;
        }

        var micros = number * scaleMicros;
        if (micros > TimeSpan.MaxValue.TotalMicroseconds)
        {
            return false;
        }

        value = TimeSpan.FromMicroseconds(micros);
        return true;
    }

    /// <summary>Formats a duration compactly (<c>10s</c>, <c>250ms</c>, <c>1.5s</c>).</summary>
    /// <param name="value">The duration.</param>
    public static string Format(TimeSpan value)
    {
        if (value.Ticks % TimeSpan.TicksPerSecond == 0)
        {
            return ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        }

        return value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
    }
}
