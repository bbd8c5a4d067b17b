using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MicrosoftLevel = Microsoft.Extensions.Logging.LogLevel;

namespace ValueManagement.Features.Scheduling;

/// <summary>
/// Hangfire's log provider is process-wide, and its classes keep loggers in static fields made the
/// first time they are used. This provider writes through the logger factory of the host that started
/// last, looked up at each call, so a logger made under an earlier host (tests start many in one
/// process) neither throws once that host is disposed nor writes into it.
/// </summary>
public sealed class HangfireLogging : ILogProvider
{
    private static readonly HangfireLogging Instance = new();
    private static volatile ILoggerFactory? _factory;

    private HangfireLogging()
    {
    }

    /// <summary>Sends Hangfire's logging to <paramref name="factory"/> from now on, and returns the provider to configure Hangfire with.</summary>
    public static ILogProvider Use(ILoggerFactory factory)
    {
        _factory = factory;
        LogProvider.SetCurrentLogProvider(Instance);
        return Instance;
    }

    public ILog GetLogger(string name) => new HostLog(name);

    private sealed class HostLog(string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            ILogger logger;
            try
            {
                if (_factory is not { } factory) return false;
                logger = factory.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            var level = logLevel switch
            {
                HangfireLevel.Trace => MicrosoftLevel.Trace,
                HangfireLevel.Debug => MicrosoftLevel.Debug,
                HangfireLevel.Info => MicrosoftLevel.Information,
                HangfireLevel.Warn => MicrosoftLevel.Warning,
                HangfireLevel.Error => MicrosoftLevel.Error,
                _ => MicrosoftLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            if (!logger.IsEnabled(level)) return false;
#pragma warning disable CA2254 // Hangfire hands over finished messages, not templates.
            logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
            return true;
        }
    }
}
