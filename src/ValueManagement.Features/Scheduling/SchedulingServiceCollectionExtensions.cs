using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using HangfirePostgreSqlOptions = Hangfire.PostgreSql.PostgreSqlStorageOptions;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueManagement.Core.Rhythm;
using ValueManagement.Features.Hosting;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>The PostgreSQL schema Hangfire keeps its jobs in, in the bot's database.</summary>
    public const string PostgreSqlJobSchema = "hangfire";

    /// <summary>
    /// The weekly rhythm: schedules, the record of what ran, the tick, its commands, and Hangfire to
    /// tick it (<see cref="AddScheduling"/>). Needs storage and delivery.
    /// </summary>
    public static IServiceCollection AddRhythm(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScheduling(configuration);
        services.AddSingleton<TeamScheduleStore>();
        services.AddSingleton<RhythmStateStore>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<SchedulingOptions>>().Value;
            return new RhythmPlanner(options.HolidayCalendar(), options.CatchUpWindow);
        });
        services.AddSingleton<RhythmMessages>();
        services.AddSingleton<RollupPoster>();
        services.AddSingleton<RhythmRunner>();
        services.AddTransient<RhythmTickJob>();

        services.AddCommand<ScheduleCommand>();
        services.AddCommand<RemindCommand>();
        services.AddCommand<MissingCommand>();
        services.AddCommand<StatusCommand>();
        return services;
    }

    /// <summary>
    /// Hangfire with the configured storage and, unless switched off, a server in this process that
    /// ticks the rhythm (<see cref="RhythmScheduler"/>). The storage and job activator belong to this
    /// host: Hangfire's defaults are process-wide statics, which two hosts in one process would share.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<JobStorage>(provider => CreateStorage(
            provider.GetRequiredService<IOptions<SchedulingOptions>>().Value,
            provider.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.AddSingleton<JobActivator>(provider => new ServiceProviderJobActivator(provider));
        services.AddHangfire((provider, hangfire) => hangfire
            .UseLogProvider(HangfireLogging.Use(provider.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        services.AddSingleton<RhythmScheduler>();
        services.AddHostedService(provider => provider.GetRequiredService<RhythmScheduler>());
        services.AddHealthChecks().AddCheck<RhythmTickHealthCheck>("rhythm-tick", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// In memory when asked; else beside the data: in the PostgreSQL database (schema <c>hangfire</c>)
    /// when the data is there, so every instance is a Hangfire server on one queue; else the SQLite file.
    /// </summary>
    private static JobStorage CreateStorage(SchedulingOptions options, StorageOptions storage)
    {
        switch (options.Storage)
        {
            case JobStorageKind.InMemory:
                return new InMemoryStorage(new InMemoryStorageOptions());
            case JobStorageKind.Sqlite when storage.Provider == StorageProvider.PostgreSql:
                var postgreSql = new HangfirePostgreSqlOptions
                {
                    SchemaName = PostgreSqlJobSchema,
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = options.PollInterval,
                    InvisibilityTimeout = options.InvisibilityTimeout,
                    // A long fan-out keeps its job while its server lives; a dead server's job is taken over after InvisibilityTimeout.
                    UseSlidingInvisibilityTimeout = true,
                    // A lock row older than this is deleted by the next server wanting it (held locks are not renewed):
                    // the longest the tick stays locked after the instance that took the lock died.
                    DistributedLockTimeout = TimeSpan.FromSeconds(30),
                    JobExpirationCheckInterval = TimeSpan.FromHours(1),
                };
                return new PostgreSqlStorage(new NpgsqlConnectionFactory(storage.PostgreSql.ConnectionString!, postgreSql), postgreSql);
            default:
                var path = Path.GetFullPath(options.SqlitePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                return new SQLiteStorage(path, new SQLiteStorageOptions
                {
                    QueuePollInterval = options.PollInterval,
                    InvisibilityTimeout = options.InvisibilityTimeout,
                    DistributedLockLifetime = TimeSpan.FromSeconds(30),
                    JobExpirationCheckInterval = TimeSpan.FromHours(1),
                });
        }
    }

    /// <summary>
    /// The dashboard at <c>/hangfire</c>, under the rules of <c>/admin</c> (<see cref="DashboardAccess"/>),
    /// and read-only: it shows the jobs, and nothing in it can trigger, delete or re-queue one, so a
    /// page in the operator's browser cannot remove the tick either. A restart registers the tick again.
    /// </summary>
    public static IEndpointRouteBuilder MapSchedulingDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new DashboardAccess.LocalMachineOnly()],
            IsReadOnlyFunc = _ => true,
            DisplayStorageConnectionString = false,
            DashboardTitle = "Value management jobs",
        }).Add(endpoint => endpoint.RequestDelegate = DashboardAccess.Guard(endpoint.RequestDelegate!));
        return endpoints;
    }

    private sealed class ServiceProviderJobActivator(IServiceProvider provider) : JobActivator
    {
        public override object ActivateJob(Type jobType) => ActivatorUtilities.GetServiceOrCreateInstance(provider, jobType);
    }
}
