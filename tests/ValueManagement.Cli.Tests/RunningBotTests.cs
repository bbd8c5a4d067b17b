using System.Diagnostics;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Cli.Tests;

/// <summary>One writer per data file: vm never opens a file the bot holds; it fails at once or asks the bot.</summary>
public sealed class RunningBotTests : IDisposable
{
    private readonly CliWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task CommandsThatNeedTheFile_FailAtOnce_WhenAnotherDatabaseHoldsIt()
    {
        using var held = new VmDatabase(_workspace.DatabasePath);
        var clock = Stopwatch.StartNew();

        var demo = await _workspace.RunAsync("demo", "load");
        var status = await _workspace.RunAsync("db", "status");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Equal(1, demo.ExitCode);
        Assert.Equal(
            $"The data file {_workspace.DatabasePath} is in use, probably by the running bot ({_workspace.DatabasePath}.lock is held by another process: the running bot, or another vm command). Stop the bot, or ask it through its admin endpoint.",
            demo.Error.Trim());
        Assert.NotEqual(0, status.ExitCode);
        Assert.Contains("is in use", status.Error, StringComparison.Ordinal);
        Assert.True(DemoDataIsAbsent(held));
    }

    [Fact]
    public async Task FallbackCommands_WithNoBotAnswering_SayBothThings()
    {
        using var held = new VmDatabase(_workspace.DatabasePath);
        var url = ClosedPort.Url();

        var result = await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample, "--bot-url", url);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"The data file {_workspace.DatabasePath} is in use, and no bot answered at {url}/ (", result.Error, StringComparison.Ordinal);
        Assert.Empty(new TeamDirectory(held, new AuditLog(held), TimeProvider.System).AllTeams());
    }

    [Fact]
    public async Task TeamsImportAndExport_GoThroughTheBot_WhenItHoldsTheFile()
    {
        await using var bot = await RunningBot.StartAsync(_workspace.DatabasePath);

        var import = await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample, "--bot-url", bot.Url);
        var export = await _workspace.RunAsync("teams", "export", "--out", _workspace.File("teams.json"), "--bot-url", bot.Url);

        Assert.Equal(0, import.ExitCode);
        Assert.Equal($"The data file is in use by the bot: importing through {bot.Url}/.", import.ErrorLines.Single());
        Assert.Equal("teams.example.json imported (1 board, 2 services, 1 measure set, 3 teams, 7 roles).", import.OutputLines[0]);
        Assert.Equal(3, new TeamDirectory(bot.Database, new AuditLog(bot.Database), TimeProvider.System).AllTeams().Count);
        Assert.Equal(0, export.ExitCode);
        Assert.Equal(
            new TeamSetupExporter(new TeamDirectory(bot.Database, new AuditLog(bot.Database), TimeProvider.System), new MeasureSetStore(bot.Database)).Export(),
            File.ReadAllBytes(_workspace.File("teams.json")));
    }

    [Fact]
    public async Task TeamsImport_OfABadFile_ThroughTheBot_PrintsTheSameReport()
    {
        await using var bot = await RunningBot.StartAsync(_workspace.DatabasePath);
        var path = _workspace.Write("teams.json", File.ReadAllText(Repository.TeamsExample).Replace("\"measureSet\": \"acute-ward\",\n      \"timeZone\"", "\"measureSet\": \"acute-ward\",\n      \"timeZone\": \"Mars/Olympus\",\n      \"lateEntryWeeks\": 60,\n      \"x\"", StringComparison.Ordinal));

        var result = await _workspace.RunAsync("teams", "import", "--input", path, "--bot-url", bot.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                $"The data file is in use by the bot: importing through {bot.Url}/.",
                "teams.json: 4 problems; nothing was changed.",
                "teams.json:47:19: team \"new-craigs-morar\": time zone \"Mars/Olympus\" is not known: use an IANA time zone id such as Europe/London [teams[2].timeZone]",
                "teams.json:48:25: team \"new-craigs-morar\": \"lateEntryWeeks\" must be a whole number from 0 to 52, not 60 [teams[2].lateEntryWeeks]",
                "teams.json:49:7: team \"new-craigs-morar\": unknown property \"x\" (known: id, name, aliases, service, measureSet, timeZone, lateEntryWeeks, promptDataLeadsInPersonalChat) [teams[2].x]",
                "teams.json:50:7: team \"new-craigs-morar\": \"lateEntryWeeks\" is given twice (first on line 48) [teams[2].lateEntryWeeks]",
            ],
            result.ErrorLines);
    }

    [Fact]
    public async Task MeasuresImportAndExport_GoThroughTheBot_WhenItHoldsTheFile()
    {
        await using var bot = await RunningBot.StartAsync(_workspace.DatabasePath);
        await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample, "--bot-url", bot.Url);
        var costs = _workspace.Write("costs.csv", "team,week,measure,value\nsleep-service,2026-W10,payCost,9000\n");

        var first = await _workspace.RunAsync("measures", "import", "--input", costs, "--bot-url", bot.Url);
        var second = await _workspace.RunAsync("measures", "import", "--input", costs, "--bot-url", bot.Url);
        var export = await _workspace.RunAsync("measures", "export", "--team", "sleep-service", "--from", "2026-W10", "--out", _workspace.File("out.csv"), "--bot-url", bot.Url);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal("costs.csv imported (1 value for 1 team, 2026-W10): 1 value changed in 1 week (a new revision each), 0 already stored.", first.OutputLines.Single());
        Assert.Equal("costs.csv imported (1 value for 1 team, 2026-W10): nothing changed, every value was already stored.", second.OutputLines.Single());
        var week = new SubmissionStore(bot.Database, new AuditLog(bot.Database), TimeProvider.System).Load("sleep-service", IsoWeek.Parse("2026-W10"));
        Assert.Equal("import:costs.csv", Assert.Single(week.Revisions).By.ObjectId);
        Assert.Equal(0, export.ExitCode);
        Assert.Equal("team,week,measure,value\r\nsleep-service,2026-W10,payCost,9000\r\n", File.ReadAllText(_workspace.File("out.csv")));
    }

    [Fact]
    public async Task Backup_IsTakenByTheBot_WhenItHoldsTheFile()
    {
        await using var bot = await RunningBot.StartAsync(_workspace.DatabasePath);
        await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample, "--bot-url", bot.Url);

        var result = await _workspace.RunAsync("backup", "--out", _workspace.File("copy.db"), "--bot-url", bot.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^Wrote .*copy\.db: \d+ bytes, taken by the bot \(it keeps a copy as backups/data-\d{8}T\d{6}Z\.db in its data folder\)\.$", result.OutputLines.Single());
        using var copy = new VmDatabase(_workspace.File("copy.db"));
        Assert.Equal(3, new TeamDirectory(copy, new AuditLog(copy), TimeProvider.System).AllTeams().Count);
    }

    private static bool DemoDataIsAbsent(VmDatabase database) => Features.Demo.DemoData.IsEmpty(database);
}
