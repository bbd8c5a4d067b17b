using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Cli.Tests;

public sealed class DemoAndBackupCommandsTests : IDisposable
{
    private readonly CliWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public async Task DemoLoad_IntoAnEmptyFile_LoadsIt()
    {
        var result = await _workspace.RunAsync("demo", "load");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Loaded demo data into {_workspace.DatabasePath}: 6 teams, 24 roles and 52 weeks of figures (", result.Output, StringComparison.Ordinal);
        using var database = new VmDatabase(_workspace.DatabasePath);
        Assert.Equal(6, new TeamDirectory(database, new AuditLog(database), TimeProvider.System).AllTeams().Count);
    }

    [Fact]
    public async Task DemoLoad_IntoAFileWithData_IsRefused()
    {
        await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample);

        var result = await _workspace.RunAsync("demo", "load");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"The data file {_workspace.DatabasePath} is not empty (it holds 1 board, 2 services, 3 teams, 7 roles, 1 measure set): demo data is only loaded into an empty data file. Use a new file, for example: vm demo load --db data/demo.db",
            result.Error.Trim());
    }

    [Fact]
    public async Task Backup_OfAFreeFile_WritesACopyThatOpens()
    {
        await _workspace.RunAsync("demo", "load");

        var result = await _workspace.RunAsync("backup", "--out", _workspace.File("backups/copy.db"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"Wrote {_workspace.File("backups/copy.db")}: ", result.Output, StringComparison.Ordinal);
        using var copy = new VmDatabase(_workspace.File("backups/copy.db"));
        Assert.Equal(6, new TeamDirectory(copy, new AuditLog(copy), TimeProvider.System).AllTeams().Count);
    }

    [Fact]
    public async Task Backup_OverAnExistingFile_IsRefused()
    {
        var existing = _workspace.Write("copy.db", "precious");

        var result = await _workspace.RunAsync("backup", "--out", existing);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"{existing} already exists: a backup never overwrites a file.", result.Error.Trim());
        Assert.Equal("precious", File.ReadAllText(existing));
    }
}
