using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Fitten.AspNetCore.Tests.Infrastructure;

/// <summary>Keeps every log record a test server writes, so a test can prove nothing unexpected was logged.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyCollection<LogRecord> Records => _records;

    /// <summary>Forgets what was logged so far (start-up notices), so a test sees only what its own actions caused.</summary>
    public void Clear() => _records.Clear();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _records);

    public void Dispose()
    {
    }

    public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
    {
        public override string ToString() => $"{Level} {Category}[{EventId.Name ?? EventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}]: {Message} {Exception}";
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), exception));
    }
}
