using System.Globalization;

namespace Fitten.Benchmarks.Load;

/// <summary>The server process's allocation and GC counters, read from its /stats endpoint.</summary>
internal readonly record struct ServerStats(long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    public static async Task<ServerStats> ReadAsync(HttpClient http, int port)
    {
        string text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/stats"));
        var parts = text.Split(' ');
        return new ServerStats(
            long.Parse(parts[0], CultureInfo.InvariantCulture),
            int.Parse(parts[1], CultureInfo.InvariantCulture),
            int.Parse(parts[2], CultureInfo.InvariantCulture),
            int.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}
