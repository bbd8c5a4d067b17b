using Hangfire;
using Hangfire.InMemory;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>Hangfire with the configured storage and, unless switched off, a server in this process.</summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();

        services.AddHangfire((provider, hangfire) =>
        {
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseActivator(new ServiceProviderJobActivator(provider));
            switch (options.Storage)
            {
                case JobStorageKind.InMemory:
                    hangfire.UseInMemoryStorage(new InMemoryStorageOptions());
                    break;
                default:
                    var path = Path.GetFullPath(options.SqlitePath);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    hangfire.UseSQLiteStorage(path, new SQLiteStorageOptions
                    {
                        QueuePollInterval = options.PollInterval,
                        InvisibilityTimeout = options.InvisibilityTimeout,
                        DistributedLockLifetime = TimeSpan.FromSeconds(30),
                        JobExpirationCheckInterval = TimeSpan.FromHours(1),
                    });
                    break;
            }
        });

        if (options.Enabled)
        {
            services.AddHangfireServer((provider, server) =>
            {
                var current = provider.GetRequiredService<IOptions<SchedulingOptions>>().Value;
                server.WorkerCount = current.WorkerCount;
                server.SchedulePollingInterval = current.PollInterval;
                server.ServerCheckInterval = TimeSpan.FromSeconds(30);
                server.ServerTimeout = TimeSpan.FromMinutes(2);
                server.ShutdownTimeout = TimeSpan.FromSeconds(10);
            });
        }
        return services;
    }

    /// <summary>The dashboard at <c>/hangfire</c>, for loopback callers only.</summary>
    public static IEndpointRouteBuilder MapSchedulingDashboard(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new LoopbackDashboardAuthorization()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "Value management jobs",
        });
        return endpoints;
    }

    private sealed class ServiceProviderJobActivator(IServiceProvider provider) : JobActivator
    {
        public override object ActivateJob(Type jobType) => ActivatorUtilities.GetServiceOrCreateInstance(provider, jobType);
    }
}
