using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Cli.Tests;

public sealed class TeamsCommandsTests : IDisposable
{
    private readonly CliWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private IReadOnlyList<string> TeamIds()
    {
        using var database = new VmDatabase(_workspace.DatabasePath);
        return new TeamDirectory(database, new AuditLog(database), TimeProvider.System).AllTeams().Select(t => t.Id).Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public async Task Import_ValidFile_ImportsAndSaysWhatChanged()
    {
        var result = await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("teams.example.json imported (1 board, 2 services, 1 measure set, 3 teams, 7 roles).", result.OutputLines[0]);
        Assert.Equal(["inpatient-respiratory", "new-craigs-morar", "sleep-service"], TeamIds());
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Import_FileWithProblems_PrintsEachWithItsLine_AndChangesNothing()
    {
        await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample);
        var text = File.ReadAllText(Repository.TeamsExample)
            .Replace("\"service\": \"mental-health\"", "\"service\": \"mental-heath\"", StringComparison.Ordinal)
            .Replace("\"role\": \"admin\"", "\"role\": \"administrator\"", StringComparison.Ordinal)
            .Replace("\"name\": \"Sleep service\"", "\"name\": \"Sleep service\",\n      \"name\": \"Sleep\"", StringComparison.Ordinal);
        var path = _workspace.Write("teams.json", text);

        var result = await _workspace.RunAsync("teams", "import", "--input", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "teams.json: 3 problems; nothing was changed.",
                "teams.json:37:7: team \"sleep-service\": \"name\" is given twice (first on line 36) [teams[1].name]",
                "teams.json:46:18: team \"new-craigs-morar\": service \"mental-heath\" does not exist (services: medical-specialties, mental-health); did you mean \"mental-health\"? [teams[2].service]",
                "teams.json:59:86: role 7 (Ali Grant): \"role\" must be one of member, dataLead, coach, manager, admin, not \"administrator\" [roles[6].role]",
            ],
            result.ErrorLines);
        Assert.Equal(["inpatient-respiratory", "new-craigs-morar", "sleep-service"], TeamIds());
    }

    [Fact]
    public async Task Import_Check_ChangesNothing()
    {
        var result = await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample, "--check");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["teams.example.json is valid (1 board, 2 services, 1 measure set, 3 teams, 7 roles); nothing was changed (check only)."], result.OutputLines);
        Assert.Empty(TeamIds());
    }

    [Fact]
    public async Task Import_MissingFile_SaysSo()
    {
        var result = await _workspace.RunAsync("teams", "import", "--input", _workspace.File("nope.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Cannot read {_workspace.File("nope.json")}: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportImportExport_GivesTheSameFile()
    {
        await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample);

        var first = await _workspace.RunAsync("teams", "export", "--out", _workspace.File("first.json"));
        var again = await _workspace.RunAsync("teams", "import", "--input", _workspace.File("first.json"));
        await _workspace.RunAsync("teams", "export", "--out", _workspace.File("second.json"));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"Wrote {_workspace.File("first.json")}: 1 board, 2 services, 1 measure set, 3 teams, 7 roles.", first.OutputLines.Single());
        Assert.Equal(["first.json imported (1 board, 2 services, 1 measure set, 3 teams, 7 roles): nothing changed, the data file already matched it."], again.OutputLines);
        Assert.Equal(File.ReadAllBytes(_workspace.File("first.json")), File.ReadAllBytes(_workspace.File("second.json")));
    }
}
