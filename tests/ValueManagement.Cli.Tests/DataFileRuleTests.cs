using ValueManagement.Features.Storage;

namespace ValueManagement.Cli.Tests;

/// <summary>vm never makes a data file it was not asked to: commands that only read refuse a missing or empty one, and <c>db status</c> asks the bot that holds it.</summary>
public sealed class DataFileRuleTests : IDisposable
{
    private readonly CliWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    public static TheoryData<string[]> ReadingCommands =>
    [
        ["db", "status"],
        ["teams", "export", "--out", "teams.json"],
        ["measures", "export", "--out", "measures.csv"],
        ["backup", "--out", "copy.db"],
    ];

    [Theory]
    [MemberData(nameof(ReadingCommands))]
    public async Task ReadingCommands_OnAMissingFile_FailPlainly_AndCreateNothing(string[] command)
    {
        var args = command.Select(a => a.Contains('.', StringComparison.Ordinal) ? _workspace.File(a) : a).ToArray();

        var result = await _workspace.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"There is no data file at {_workspace.DatabasePath} (nothing was created).", result.Error.Trim(), StringComparison.Ordinal);
        Assert.Empty(result.Output);
        Assert.Empty(Directory.GetFiles(_workspace.Folder));
    }

    [Fact]
    public async Task Backup_OfAnEmptyFile_IsAnError()
    {
        File.WriteAllBytes(_workspace.DatabasePath, []);

        var result = await _workspace.RunAsync("backup", "--out", _workspace.File("copy.db"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"The data file {_workspace.DatabasePath} is empty (0 bytes): it holds no data, so there is nothing to read or back up. Give --db for the bot's data file.", result.Error.Trim());
        Assert.False(File.Exists(_workspace.File("copy.db")));
    }

    [Fact]
    public async Task Backup_OfADataFileThatHoldsNoData_IsAnError()
    {
        new VmDatabase(_workspace.DatabasePath).Dispose();

        var result = await _workspace.RunAsync("backup", "--out", _workspace.File("copy.db"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"The data file {_workspace.DatabasePath} holds no data (no teams, figures or anything else): no backup was written. Is it the bot's data file? Give --db for another.", result.Error.Trim());
        Assert.False(File.Exists(_workspace.File("copy.db")));
    }

    [Fact]
    public async Task DbStatus_WhileTheBotHoldsTheFile_AsksTheBot()
    {
        await _workspace.RunAsync("demo", "load");
        await using var bot = await RunningBot.StartAsync(_workspace.DatabasePath);

        var result = await _workspace.RunAsync("db", "status", "--bot-url", bot.Url);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"The data file is in use by the bot: asking {bot.Url}/ for its status.", result.ErrorLines.Single());
        Assert.Equal($"file: {_workspace.DatabasePath}", result.OutputLines[0]);
        Assert.Equal($"schema version: {Migrations.CurrentVersion} (this program: {Migrations.CurrentVersion})", result.OutputLines[1]);
        Assert.Contains("teams: 6", result.OutputLines);
        Assert.Equal(2 + StoredCollections.All.Count, result.OutputLines.Length);
    }

    [Fact]
    public async Task DbStatus_WhenTheBotAskedHoldsAnotherFile_SaysSo()
    {
        using var held = new VmDatabase(_workspace.DatabasePath);
        await using var other = await RunningBot.StartAsync(_workspace.File("other.db"));

        var result = await _workspace.RunAsync("db", "status", "--bot-url", other.Url);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"but the bot at {other.Url}/ holds {_workspace.File("other.db")}, not it", result.Error, StringComparison.Ordinal);
    }
}
