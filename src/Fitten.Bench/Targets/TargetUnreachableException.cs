namespace Fitten.Bench.Targets;

/// <summary>The target could not be reached before the run started (see <see cref="ILoadTarget.ProbeAsync"/>).</summary>
public sealed class TargetUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TargetUnreachableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What could not be reached and why.</param>
    public TargetUnreachableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What could not be reached and why.</param>
    /// <param name="innerException">The underlying failure.</param>
    public TargetUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
