using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Scheduling;

/// <summary>
/// Ready only while the rhythm tick is registered as a recurring job: without it no prompt, reminder
/// or box score goes out. Each start registers it again; a process without a Hangfire server
/// (<see cref="SchedulingOptions.Enabled"/> off) does not tick and does not check.
/// </summary>
public sealed class RhythmTickHealthCheck(JobStorage storage, IOptions<SchedulingOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled) return Task.FromResult(HealthCheckResult.Healthy("No Hangfire server in this process (Scheduling:Enabled is false)."));
        try
        {
            using var connection = storage.GetConnection();
            var tick = connection.GetRecurringJobs([RhythmTickJob.RecurringJobId]).SingleOrDefault();
            return Task.FromResult(tick is null or { Removed: true }
                ? HealthCheckResult.Unhealthy($"The rhythm tick (recurring job '{RhythmTickJob.RecurringJobId}') is not registered: no prompts, reminders or box scores will go out. Restart the bot to register it again.")
                : HealthCheckResult.Healthy($"The rhythm tick is registered ({tick.Cron}, next {tick.NextExecution:yyyy-MM-dd HH:mm} UTC)."));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The Hangfire job storage cannot be read.", error));
        }
    }
}
