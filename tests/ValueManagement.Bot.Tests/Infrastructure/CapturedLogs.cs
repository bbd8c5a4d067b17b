using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ValueManagement.Bot.Tests.Infrastructure;

/// <summary>What the host logged at Information and above, as formatted text (add as an <see cref="ILoggerProvider"/>).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public IReadOnlyList<string> Lines => _lines.Select(l => l.Text).ToList();

    public IReadOnlyList<string> AtLeast(LogLevel level) => _lines.Where(l => l.Level >= level).Select(l => l.Text).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner._lines.Enqueue((logLevel, formatter(state, exception) + (exception is null ? string.Empty : " | " + exception)));
        }
    }
}
