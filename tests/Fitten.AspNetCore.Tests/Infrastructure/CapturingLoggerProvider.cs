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

    /// <summary>A logger factory that writes here, at every level (Debug and Trace included).</summary>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Trace));

    /// <summary>Records with event id <paramref name="eventId"/>.</summary>
    public LogRecord[] Events(int eventId) => [.. _records.Where(r => r.EventId.Id == eventId)];

    /// <summary>
    /// Waits, polling every 20 ms for up to <paramref name="patience"/> (default 20 s), for a record with
    /// <paramref name="eventId"/> that <paramref name="match"/> accepts (logs of background loops come when they come),
    /// and returns it; fails the test with everything logged when none comes.
    /// </summary>
    public async Task<LogRecord> WaitForAsync(int eventId, Func<LogRecord, bool>? match = null, TimeSpan? patience = null)
    {
        long deadline = Environment.TickCount64 + (long)(patience ?? TimeSpan.FromSeconds(20)).TotalMilliseconds;
        while (true)
        {
            var found = _records.FirstOrDefault(r => r.EventId.Id == eventId && (match is null || match(r)));
            if (found is not null)
            {
                return found;
            }

            if (Environment.TickCount64 > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No log event {eventId} came. Logged:\n{string.Join("\n", _records)}");
            }

            await Task.Delay(20);
        }
    }

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
