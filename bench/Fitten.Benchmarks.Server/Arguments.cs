using System.Globalization;

namespace Fitten.Benchmarks.Server;

/// <summary>The few command-line options the benchmark server takes; a parser library would outweigh them.</summary>
internal static class Arguments
{
    public static int Port(string[] args, string name, int fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0)
        {
            return fallback;
        }

        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new ArgumentException($"{name} needs a port number between 1 and 65535.", nameof(args));
        }

        return port;
    }
}
