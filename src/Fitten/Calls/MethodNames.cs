namespace Fitten;

/// <summary>Checks service and method names so only names that are safe in metadata, routes and metrics get in.</summary>
internal static class MethodNames
{
    /// <summary>Longest "service/method" accepted, in bytes; also bounds the stack buffer used to look names up.</summary>
    public const int MaxFullNameLength = 256;

    public static void Validate(string serviceName, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (char c in serviceName)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                throw new ArgumentException($"Service name '{serviceName}' may contain only ASCII letters, digits, '.', '_' and '-'.", nameof(serviceName));
            }
        }

        if (!IsValidMethodName(name))
        {
            throw new ArgumentException($"Method name '{name}' may contain only ASCII letters, digits and '_'.", nameof(name));
        }

        if (serviceName.Length + 1 + name.Length > MaxFullNameLength)
        {
            throw new ArgumentException($"'{serviceName}/{name}' is longer than {MaxFullNameLength} characters.", nameof(name));
        }
    }

    /// <summary>Whether <paramref name="name"/> is a method name: ASCII letters, digits and '_', not empty.</summary>
    public static bool IsValidMethodName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
