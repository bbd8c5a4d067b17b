using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Tests.Demo;

public sealed class DemoDataStartupTests : IDisposable
{
    private readonly VmDatabase _database = new(new MemoryStream());

    public void Dispose() => _database.Dispose();

    private const string PlaygroundUser = "00000000-0000-0000-0000-0000000000020";

    private async Task StartAsync(bool? loadWhenEmpty, string environment = "Development", bool playgroundUser = false)
    {
        var settings = new Dictionary<string, string?>();
        if (loadWhenEmpty is { } on) settings["Demo:LoadWhenEmpty"] = on ? "true" : "false";
        if (playgroundUser)
        {
            settings["Demo:PlaygroundUser:ObjectId"] = PlaygroundUser;
            settings["Demo:PlaygroundUser:Name"] = "Alex Wilber";
        }
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_database);
        services.AddSingleton<IDocumentDatabase>(_database);
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(DemoFixture.Now));
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        services.AddDemoData(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        await using var provider = services.BuildServiceProvider();
        foreach (var hosted in provider.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
    }

    private int Teams() => new TeamDirectory(_database, new AuditLog(_database), TimeProvider.System).AllTeams().Count;

    [Fact]
    public async Task Start_WithLoadWhenEmpty_LoadsTheDemoIntoAnEmptyFile()
    {
        await StartAsync(loadWhenEmpty: true);

        Assert.Equal(6, Teams());
    }

    [Fact]
    public async Task Start_InDevelopment_MakesThePlaygroundUserAnAdminAndACoachOfEveryDemoTeam_Once()
    {
        await StartAsync(loadWhenEmpty: true, playgroundUser: true);
        var audit = new AuditLog(_database).Count();
        await StartAsync(loadWhenEmpty: true, playgroundUser: true);

        var roles = new TeamDirectory(_database, new AuditLog(_database), TimeProvider.System).RolesOf(PlaygroundUser);
        Assert.Contains(roles, r => r.Role == Core.Organisation.Role.Admin && r.ScopeKind == Core.Organisation.RoleScopeKind.Everywhere);
        Assert.Equal(DemoOrganisation.Setup.Teams.Select(t => t.Id).Order(), roles.Where(r => r.Role == Core.Organisation.Role.Coach).Select(r => r.ScopeId!).Order());
        Assert.All(roles, r => Assert.Equal("Alex Wilber", r.DisplayName));
        Assert.Equal(audit, new AuditLog(_database).Count());
    }

    [Fact]
    public async Task Start_OutsideDevelopment_GivesThePlaygroundUserNothing()
    {
        await StartAsync(loadWhenEmpty: true, environment: "Staging", playgroundUser: true);

        Assert.Equal(6, Teams());
        Assert.Empty(new TeamDirectory(_database, new AuditLog(_database), TimeProvider.System).RolesOf(PlaygroundUser));
    }

    [Fact]
    public async Task Start_WithLoadWhenEmpty_LeavesAFileWithDataAlone()
    {
        await StartAsync(loadWhenEmpty: true);
        var audit = new AuditLog(_database).Count();

        await StartAsync(loadWhenEmpty: true);

        Assert.Equal(audit, new AuditLog(_database).Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(null)]
    public async Task Start_WithoutLoadWhenEmpty_DoesNothing(bool? setting)
    {
        await StartAsync(setting);

        Assert.Equal(0, Teams());
        Assert.True(DemoData.IsEmpty(_database));
    }

    [Fact]
    public void DevelopmentSettings_TurnTheDemoOn()
    {
        var settings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Tests.TeamSetup.TeamSetupFiles.RepositoryRoot, "src", "ValueManagement.Bot", "appsettings.Development.json"))
            .Build();

        Assert.True(settings.GetValue<bool>("Demo:LoadWhenEmpty"));
    }
}
