using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Demo;

/// <summary>The <c>Demo</c> section.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Load the demo data at start when the data file is empty (appsettings.Development.json turns it on).</summary>
    public bool LoadWhenEmpty { get; set; }

    /// <summary>
    /// In Development, with the demo data loaded, this person is made an admin and a coach of every demo team at start, so a
    /// newcomer can try every command in Microsoft 365 Agents Playground (appsettings.Development.json names its default user).
    /// Ignored, with a warning, in any other environment.
    /// </summary>
    public DemoPerson? PlaygroundUser { get; set; }
}

/// <summary>A person by Entra object id (what Teams sends as <c>from.aadObjectId</c>) and display name.</summary>
public sealed class DemoPerson
{
    public string ObjectId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
}

/// <summary>
/// At start, loads the demo data into an empty data file when <see cref="DemoOptions.LoadWhenEmpty"/> is on, and in
/// Development makes <see cref="DemoOptions.PlaygroundUser"/> an admin and coach of the demo teams; otherwise does nothing.
/// </summary>
public sealed partial class DemoDataStartup(IDocumentDatabase database, TimeProvider time, IOptions<DemoOptions> options, IHostEnvironment environment, ILogger<DemoDataStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.LoadWhenEmpty) return Task.CompletedTask;
        if (!environment.IsDevelopment()) LogOutsideDevelopment(environment.EnvironmentName);
        if (!DemoData.IsEmpty(database))
        {
            LogNotEmpty(database.Description);
        }
        else
        {
            var result = DemoData.Load(database, time);
            LogLoaded(database.Description, result.ToString());
        }
        if (options.Value.PlaygroundUser is { ObjectId.Length: > 0 } user) MakePlaygroundUserAdminAndCoach(user);
        return Task.CompletedTask;
    }

    private void MakePlaygroundUserAdminAndCoach(DemoPerson user)
    {
        if (!environment.IsDevelopment())
        {
            LogPlaygroundUserIgnored(user.ObjectId, environment.EnvironmentName);
            return;
        }
        var directory = new TeamDirectory(database, new AuditLog(database), time);
        var demoTeams = DemoOrganisation.Setup.Teams.Select(t => t.Id).ToList();
        if (!demoTeams.All(id => directory.FindTeam(id) is not null))
        {
            LogPlaygroundUserNoDemo(user.ObjectId, database.Description);
            return;
        }
        var name = string.IsNullOrWhiteSpace(user.Name) ? "Agents Playground user" : user.Name;
        var held = directory.RolesOf(user.ObjectId).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var wanted = demoTeams.Select(team => new RoleAssignment(user.ObjectId, name, Role.Coach, RoleScopeKind.Team, team))
            .Prepend(new RoleAssignment(user.ObjectId, name, Role.Admin, RoleScopeKind.Everywhere, null));
        foreach (var role in wanted.Where(r => !held.Contains(r.Key))) directory.Grant(role, DemoData.Actor);
        LogPlaygroundUser(name, user.ObjectId, demoTeams.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data loaded into {Path}: {Contents}.")]
    private partial void LogLoaded(string path, string contents);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data not loaded: {Path} is not empty.")]
    private partial void LogNotEmpty(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Development: {Name} ({ObjectId}, the Agents Playground's user in Demo:PlaygroundUser) is an admin and a coach of the {Teams} demo teams.")]
    private partial void LogPlaygroundUser(string name, string objectId, int teams);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo:PlaygroundUser {ObjectId} is ignored in the {Environment} environment: it is for Development only.")]
    private partial void LogPlaygroundUserIgnored(string objectId, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo:PlaygroundUser {ObjectId} was given no roles: {Path} does not hold the demo teams.")]
    private partial void LogPlaygroundUserNoDemo(string objectId, string path);

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
