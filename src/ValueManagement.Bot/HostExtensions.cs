using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Charts;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Hosting;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Teams.Hosting;

namespace ValueManagement.Bot;

/// <summary>The composition root's building blocks, grouped by concern.</summary>
public static class HostExtensions
{
    /// <summary>Logging (one line per entry, scope values shown) and the default address (3978, the Bot Framework convention) unless ASPNETCORE_URLS or --urls says otherwise.</summary>
    public static WebApplicationBuilder AddBotDefaults(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
            builder.WebHost.UseUrls("http://localhost:3978");

        builder.Logging.AddConsole(options => options.FormatterName = OneLineConsoleFormatter.FormatterName);
        builder.Logging.AddConsoleFormatter<OneLineConsoleFormatter, ConsoleFormatterOptions>(options =>
        {
            options.IncludeScopes = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        return builder;
    }

    public static IServiceCollection AddValueManagementBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTeamsBotProtocol(configuration);
        services.AddValueManagementFeatures(configuration);
        services.AddCharts(configuration);
        services.AddSingleton<StoredChartSource>();
        services.AddSingleton<IChartSource>(p => p.GetRequiredService<StoredChartSource>());
        services.AddAdminEndpoints();
        services.AddDemoData(configuration);
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return services;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = WriteReadiness });
        return app;
    }

    /// <summary>Each readiness check's status and why, so an operator sees what is wrong (never an exception's text).</summary>
    private static Task WriteReadiness(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });

    public static WebApplication MapBot(this WebApplication app)
    {
        app.MapBotMessages();
        app.MapCharts();
        app.MapAdminEndpoints();
        app.MapSchedulingDashboard();
        return app;
    }
}

/// <summary>Ready means the storage answers.</summary>
public sealed class StorageHealthCheck(IDocumentDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(database.IsAvailable()
            ? HealthCheckResult.Healthy(database.Description)
            : HealthCheckResult.Unhealthy($"The storage ({database.Description}) cannot be read."));
}
