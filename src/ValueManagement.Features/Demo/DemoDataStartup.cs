using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Demo;

/// <summary>The <c>Demo</c> section.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Load the demo data at start when the data file is empty (appsettings.Development.json turns it on).</summary>
    public bool LoadWhenEmpty { get; set; }
}

/// <summary>At start, loads the demo data into an empty data file when <see cref="DemoOptions.LoadWhenEmpty"/> is on; otherwise does nothing.</summary>
public sealed partial class DemoDataStartup(IDocumentDatabase database, TimeProvider time, IOptions<DemoOptions> options, IHostEnvironment environment, ILogger<DemoDataStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.LoadWhenEmpty) return Task.CompletedTask;
        if (!environment.IsDevelopment()) LogOutsideDevelopment(environment.EnvironmentName);
        if (!DemoData.IsEmpty(database))
        {
            LogNotEmpty(database.Description);
            return Task.CompletedTask;
        }
        var result = DemoData.Load(database, time);
        LogLoaded(database.Description, result.ToString());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data loaded into {Path}: {Contents}.")]
    private partial void LogLoaded(string path, string contents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data not loaded: {Path} is not empty.")]
    private partial void LogNotEmpty(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo:LoadWhenEmpty is on in the {Environment} environment: an empty data file gets demo teams and figures.")]
    private partial void LogOutsideDevelopment(string environment);
}

public static class DemoServiceCollectionExtensions
{
    /// <summary>
    /// The demo data loader: with <c>Demo:LoadWhenEmpty</c> on, an empty data file gets the demo
    /// organisation and a year of figures at start. Needs the storage (<c>AddValueManagementStorage</c>).
    /// </summary>
    public static IServiceCollection AddDemoData(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().Bind(configuration.GetSection(DemoOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<DemoDataStartup>();
        return services;
    }
}
