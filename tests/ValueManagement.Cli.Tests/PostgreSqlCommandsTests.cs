using ValueManagement.Features.Admin;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Cli.Tests;

/// <summary>
/// The commands that read or write the data, when the bot's settings put it in PostgreSQL: they work on that database,
/// never on a LiteDB file of the same settings, and <c>vm backup</c>, which copies a LiteDB file, says what to use instead.
/// </summary>
public sealed class PostgreSqlCommandsTests : IDisposable
{
    private readonly CliWorkspace _workspace = new();
    private string? _databaseName;

    public void Dispose()
    {
        _workspace.Dispose();
        if (_databaseName is not null) PostgreSqlTestServer.Shared.DropDatabase(_databaseName);
    }

    private Dictionary<string, string> PostgreSqlSettings()
    {
        var server = PostgreSqlTestServer.Shared;
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        var connectionString = server.CreateDatabase(out var name);
        _databaseName = name;
        return new Dictionary<string, string>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = connectionString,
            ["Storage:LiteDb:Path"] = _workspace.DatabasePath,
        };
    }

    [SkippableFact]
    public async Task DemoLoad_TeamsAndMeasures_WorkOnTheConfiguredPostgreSql_AndNoDataFileIsMade()
    {
        var settings = PostgreSqlSettings();

        var demo = await _workspace.RunWithSettingsAsync(settings, "demo", "load");
        Assert.True(demo.ExitCode == 0, demo.Output + demo.Error);
        Assert.StartsWith("Loaded demo data into PostgreSQL 127.0.0.1:", demo.Output, StringComparison.Ordinal);

        var export = await _workspace.RunWithSettingsAsync(settings, "teams", "export", "--out", _workspace.File("teams.json"));
        Assert.True(export.ExitCode == 0, export.Output + export.Error);
        Assert.Contains("6 teams", export.Output, StringComparison.Ordinal);

        var check = await _workspace.RunWithSettingsAsync(settings, "teams", "import", "--input", _workspace.File("teams.json"), "--check");
        Assert.True(check.ExitCode == 0, check.Output + check.Error);

        var figures = await _workspace.RunWithSettingsAsync(settings, "measures", "export", "--out", _workspace.File("figures.csv"));
        Assert.True(figures.ExitCode == 0, figures.Output + figures.Error);
        Assert.True(File.ReadAllLines(_workspace.File("figures.csv")).Length > 1000, "a year of figures for six teams");

        var status = await _workspace.RunWithSettingsAsync(settings, "db", "status");
        Assert.StartsWith("database: PostgreSQL 127.0.0.1:", status.OutputLines[0], StringComparison.Ordinal);
        Assert.Contains("teams: 6", status.OutputLines);

        using (var database = new PostgreSqlDocumentDatabase(settings["Storage:PostgreSql:ConnectionString"]))
            Assert.Equal(6, database.Collection(TeamDirectory.StoredTeams).Count());
        Assert.False(File.Exists(_workspace.DatabasePath), "no LiteDB file is made when the data is in PostgreSQL");
    }

    [SkippableFact]
    public async Task Backup_WhenTheDataIsInPostgreSql_SaysToUsePgDump_AndWritesNothing()
    {
        var settings = PostgreSqlSettings();
        var target = _workspace.File("backup.db");

        var result = await _workspace.RunWithSettingsAsync(settings, "backup", "--out", target);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([DatabaseBackup.PostgreSqlAdvice], result.ErrorLines);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(_workspace.DatabasePath));
    }

    [Fact]
    public async Task Commands_WhenPostgreSqlIsChosenWithoutAConnectionString_SayWhatToSet()
    {
        var result = await _workspace.RunWithSettingsAsync(new Dictionary<string, string> { ["Storage:Provider"] = "PostgreSql" }, "teams", "export", "--out", _workspace.File("teams.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Storage:Provider is PostgreSql but Storage:PostgreSql:ConnectionString is not set: set it, or give --db for a data file."], result.ErrorLines);
    }
}
