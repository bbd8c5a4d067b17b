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

    [SkippableFact]
    public async Task Commands_OnADatabaseOfAnOlderLayout_LeaveTheUpgradeToTheBot()
    {
        var settings = PostgreSqlSettings();
        var connectionString = settings["Storage:PostgreSql:ConnectionString"];
        Execute(connectionString,
            "create table vm_schema_version (component text primary key, version integer not null, applied_at timestamptz not null default now());" +
            "insert into vm_schema_version (component, version) values ('documents', 1);" +
            "create table vm_current_values (id text primary key, data jsonb not null);");

        var status = await _workspace.RunWithSettingsAsync(settings, "db", "status");

        Assert.Equal(1, status.ExitCode);
        Assert.Contains("has document layout 1; this program writes layout", Assert.Single(status.ErrorLines), StringComparison.Ordinal);
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand("select (select version from vm_schema_version) = 1 and to_regclass('vm_current_values') is not null", connection);
        Assert.True((bool)command.ExecuteScalar()!, "the database is left as it was");
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task Commands_WhenPostgreSqlIsChosenWithoutAConnectionString_SayWhatToSet()
    {
        var result = await _workspace.RunWithSettingsAsync(new Dictionary<string, string> { ["Storage:Provider"] = "PostgreSql" }, "teams", "export", "--out", _workspace.File("teams.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["Storage:Provider is PostgreSql but Storage:PostgreSql:ConnectionString is not set: set it, or give --db for a data file."], result.ErrorLines);
    }
}
