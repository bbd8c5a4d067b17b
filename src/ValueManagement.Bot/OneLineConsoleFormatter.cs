using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace ValueManagement.Bot;

/// <summary>
/// The console's format: one line per entry, UTC timestamp, level, category and event id, then each
/// scope, then the message (and the exception on the same line). Unlike the simple formatter, a scope
/// made of key-value pairs (a dictionary, say) is written as its values, <c>ActivityId:… ConversationId:…</c>,
/// not as its type's name.
/// </summary>
public sealed class OneLineConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "vm-one-line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null) return;
        var current = options.CurrentValue;

        if (current.TimestampFormat is { } format)
        {
            var now = current.UseUtcTimestamp ? DateTimeOffset.UtcNow : DateTimeOffset.Now;
            textWriter.Write(now.ToString(format, CultureInfo.InvariantCulture));
        }
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id.ToString(CultureInfo.InvariantCulture));
        textWriter.Write(']');
        if (current.IncludeScopes && scopeProvider is not null)
        {
            scopeProvider.ForEachScope(static (scope, writer) =>
            {
                writer.Write(" => ");
                writer.Write(ScopeText(scope));
            }, textWriter);
        }
        if (!string.IsNullOrEmpty(message))
        {
            textWriter.Write(' ');
            textWriter.Write(OneLine(message));
        }
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(' ');
            textWriter.Write(OneLine(exception.ToString()));
        }
        textWriter.Write(Environment.NewLine);
    }

    /// <summary>A scope's own text when its type says something (ASP.NET Core's scopes do), else its key-value pairs.</summary>
    public static string ScopeText(object? scope)
    {
        if (scope is null) return string.Empty;
        var text = scope.ToString() ?? string.Empty;
        var typeName = scope.GetType().ToString();
        if (!string.Equals(text, typeName, StringComparison.Ordinal)) return OneLine(text);
        return scope switch
        {
            IEnumerable<KeyValuePair<string, object?>> pairs => string.Join(' ', pairs.Where(p => p.Key != "{OriginalFormat}").Select(p => $"{p.Key}:{Value(p.Value)}")),
            IEnumerable<KeyValuePair<string, string?>> pairs => string.Join(' ', pairs.Select(p => $"{p.Key}:{Value(p.Value)}")),
            _ => text,
        };
    }

    private static string Value(object? value) => value switch
    {
        null => "(none)",
        string s => OneLine(s),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => string.Join(',', items.Cast<object?>().Select(Value)),
        _ => OneLine(value.ToString() ?? string.Empty),
    };

    private static string OneLine(string text) =>
        text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? text.ReplaceLineEndings(" ")
            : text;

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
