using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Scheduling;

/// <summary>
/// The one recurring Hangfire job: it only ticks the rhythm. Not retried by Hangfire (the next tick
/// is the retry). Its lock keeps a second server from starting a tick while one runs; with instances
/// sharing PostgreSQL only for the lock timeout (30 s): the lock is not renewed while held, so a longer
/// tick can overlap another instance's (harmless: each message is claimed in the delivery ledger), and
/// the lock of an instance that died is taken over 30 s after that instance took it.
/// </summary>
public sealed class RhythmTickJob(RhythmRunner runner)
{
    public const string RecurringJobId = "rhythm-tick";

    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(CancellationToken cancellationToken) => await runner.TickAsync(cancellationToken).ConfigureAwait(false);
}

/// <summary>
/// The Hangfire server of this process, when <see cref="SchedulingOptions.Enabled"/> (read at start,
/// so configuration added late, as tests do, is honoured). At start it registers the tick in the
/// configured time zone and triggers it once at once: after downtime, what was missed within the
/// catch-up window goes out without waiting for the next minute.
/// </summary>
public sealed partial class RhythmScheduler(JobStorage storage, JobActivator activator, IServiceProvider services, IOptions<SchedulingOptions> options) : IHostedService, IDisposable
{
    private BackgroundJobServer? _server;

    public bool Running => _server is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var current = options.Value;
        if (!current.Enabled) return Task.CompletedTask;
        HangfireLogging.Use(services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>());
        _server = new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = current.WorkerCount,
            SchedulePollingInterval = current.PollInterval,
            ServerCheckInterval = TimeSpan.FromSeconds(30),
            ServerTimeout = TimeSpan.FromMinutes(2),
            ShutdownTimeout = TimeSpan.FromSeconds(10),
            Activator = activator,
            FilterProvider = services.GetService<IJobFilterProvider>(),
            TimeZoneResolver = services.GetService<ITimeZoneResolver>(),
        }, storage);

        var recurringJobs = services.GetRequiredService<IRecurringJobManager>();
        recurringJobs.AddOrUpdate<RhythmTickJob>(
            RhythmTickJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None),
            current.TickCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(current.TimeZone) });
        recurringJobs.Trigger(RhythmTickJob.RecurringJobId);
        // Hangfire's own start-up lines are Information, quietened to Warning by default: this one says it started.
        LogSchedulerStarted(services.GetRequiredService<ILoggerFactory>().CreateLogger<RhythmScheduler>(), current.TickCron, current.TimeZone, current.WorkerCount, storage.ToString() ?? storage.GetType().Name);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        _server.SendStop();
        await _server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _server?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduler started: the rhythm tick runs on '{Cron}' ({TimeZone}), {Workers} workers, jobs in {Storage}.")]
    private static partial void LogSchedulerStarted(ILogger logger, string cron, string timeZone, int workers, string storage);
}
