using System.Text.Json;
using ValueManagement.Cli.Commands;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Cli.Tests;

/// <summary><c>vm migrate</c>: the demo data from a LiteDB file into a fresh PostgreSQL database, and its refusals.</summary>
public sealed class MigrateCommandTests : IDisposable
{
    private readonly CliWorkspace _workspace = new();
    private string? _databaseName;

    public void Dispose()
    {
        _workspace.Dispose();
        if (_databaseName is not null) PostgreSqlTestServer.Shared.DropDatabase(_databaseName);
    }

    /// <summary>A fresh, empty database for this test; skips it with the reason when there is no server.</summary>
    private string FreshDatabase()
    {
        var server = PostgreSqlTestServer.Shared;
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        var connectionString = server.CreateDatabase(out var name);
        _databaseName = name;
        return connectionString;
    }

    [SkippableFact]
    public async Task Migrate_DemoData_CopiesEveryCollectionAndVerifiesIt_AndARerunChangesNothing()
    {
        var connectionString = FreshDatabase();
        var input = LoadDemoData();

        var first = await _workspace.RunAsync("migrate", "--input", input, "--out", connectionString);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Equal("", first.Error);
        foreach (var collection in StoredCollections.All)
            Assert.Contains(first.OutputLines, line => line.StartsWith(collection.Name + " ", StringComparison.Ordinal) && line.EndsWith("  yes", StringComparison.Ordinal));
        Assert.Contains(first.OutputLines, line => line.StartsWith($"sha256 {SubmissionStore.StoredWeeks.Name}: source ", StringComparison.Ordinal) && line.EndsWith("(same)", StringComparison.Ordinal));
        Assert.Contains(first.OutputLines, line => line.StartsWith($"sha256 {AuditLog.Stored.Name}: source ", StringComparison.Ordinal) && line.EndsWith("(same)", StringComparison.Ordinal));

        using (var source = new VmDatabase(input))
        using (var target = new PostgreSqlDocumentDatabase(connectionString))
        {
            var report = MigrationReport.Compare(source, target);
            Assert.True(report.AllMatch, string.Join(", ", report.Mismatches));
            Assert.True(SubmissionStore.StoredWeeks.Count(target) > 300, "the demo's 52 weeks of 6 teams");
            Assert.Equal(History(source), History(target));
            Assert.Contains("\"Number\":2", History(target), StringComparison.Ordinal);
        }

        var liteDbStatus = await _workspace.RunAsync("db", "status");
        var postgreSqlStatus = await _workspace.RunAsync("db", "status", "--postgres", connectionString);
        Assert.Equal(0, postgreSqlStatus.ExitCode);
        Assert.StartsWith("database: PostgreSQL 127.0.0.1:", postgreSqlStatus.OutputLines[0], StringComparison.Ordinal);
        Assert.Equal(liteDbStatus.OutputLines.Skip(2), postgreSqlStatus.OutputLines.Skip(1));
        Assert.Equal(StoredCollections.All.Select(c => $"{c.Name}: "), postgreSqlStatus.OutputLines.Skip(1).Select(l => l[..(l.IndexOf(':', StringComparison.Ordinal) + 2)]));

        var before = Snapshot(connectionString);
        var second = await _workspace.RunAsync("migrate", "--input", input, "--out", connectionString);

        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(before, Snapshot(connectionString));
    }

    [SkippableFact]
    public async Task Migrate_WhenTheTargetHoldsADocumentTheSourceLacks_SaysWhichCollectionDiffers()
    {
        var connectionString = FreshDatabase();
        var input = LoadDemoData();
        using (var target = new PostgreSqlDocumentDatabase(connectionString))
            new AuditLog(target).Append(new AuditEntry { At = DateTimeOffset.UnixEpoch, ActorId = "test", ActorName = "test", Subject = "test", SubjectId = "stray", Action = "test" });

        var result = await _workspace.RunAsync("migrate", "--input", input, "--out", connectionString);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.OutputLines, line => line.StartsWith(AuditLog.Stored.Name + " ", StringComparison.Ordinal) && line.EndsWith("  NO", StringComparison.Ordinal));
        Assert.StartsWith($"The copy does not match the source: {AuditLog.Stored.Name} (", result.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Migrate_AgainAfterTheTargetKeptAStaleCurrentValuesTable_ReplacesIt()
    {
        var connectionString = FreshDatabase();
        var input = LoadDemoData();
        Assert.Equal(0, (await _workspace.RunAsync("migrate", "--input", input, "--out", connectionString)).ExitCode);
        string team;
        using (var target = new PostgreSqlDocumentDatabase(connectionString))
        {
            // As if the target had built this team's table before later revisions were copied in: one week only.
            var tables = target.Collection(SubmissionStore.StoredCurrentValues);
            var stale = tables.All()[0];
            team = stale.Id;
            tables.Upsert(new StoredCurrentValuesTable { Id = team, Weeks = [stale.Weeks[0]], Keys = stale.Keys, Values = stale.Values[..(stale.Keys.Count * sizeof(double))] });
        }

        // …and the file holds no table for it (as a file from before the tables were kept, where they are built at first read).
        using (var source = new VmDatabase(input))
            source.Collection(SubmissionStore.StoredCurrentValues).Delete(team);

        var again = await _workspace.RunAsync("migrate", "--input", input, "--out", connectionString);

        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        using (var target = new PostgreSqlDocumentDatabase(connectionString))
        {
            var store = new SubmissionStore(target, new AuditLog(target), TimeProvider.System);
            var history = store.History(team);
            Assert.True(history.Count > 50, "a year of weeks");
            Assert.Equal(history.Select(w => w.Week), store.CurrentValues(team).Select(w => w.Week));
            Assert.Equal(history[^1].Current.OrderBy(v => v.Key, StringComparer.Ordinal), store.CurrentValues(team)[^1].Values.OrderBy(v => v.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Migrate_MissingInputFile_SaysSoInOneLine()
    {
        var missing = _workspace.File("nowhere.db");

        var result = await _workspace.RunAsync("migrate", "--input", missing, "--out", "Host=127.0.0.1;Database=vm");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"The LiteDB file {missing} does not exist."], result.ErrorLines);
        Assert.False(File.Exists(missing));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Databse=vm", "The PostgreSQL connection string cannot be read: ")]
    [InlineData("Database=vm;Username=vm", "The PostgreSQL connection string names no Host")]
    [InlineData("Host=127.0.0.1;Username=vm", "The PostgreSQL connection string names no Database")]
    public async Task Migrate_UnreadableConnectionString_SaysSoInOneLine(string connectionString, string expected)
    {
        var input = LoadDemoData();

        var result = await _workspace.RunAsync("migrate", "--input", input, "--out", connectionString);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(expected, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task Migrate_ServerNotReachable_SaysSoInOneLineWithoutThePassword()
    {
        var input = LoadDemoData();
        var port = new Uri(ClosedPort.Url()).Port;

        var result = await _workspace.RunAsync("migrate", "--input", input, "--out", $"Host=127.0.0.1;Port={port};Database=vm;Username=vm;Password=s3cret;Timeout=5");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"PostgreSQL failed: PostgreSQL 127.0.0.1:{port}/vm: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_FileHeldByTheBot_IsRefused()
    {
        var input = LoadDemoData();
        await using var bot = await RunningBot.StartAsync(input);

        var result = await _workspace.RunAsync("migrate", "--input", input, "--out", "Host=127.0.0.1;Database=vm");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"The LiteDB file {input} is in use, probably by the running bot. Stop the bot and run vm migrate again, or migrate a copy made with vm backup --out."], result.ErrorLines);
    }

    private string LoadDemoData()
    {
        var path = _workspace.DatabasePath;
        if (File.Exists(path)) return path;
        using var database = new VmDatabase(path);
        DemoData.Load(database, TimeProvider.System);
        return path;
    }

    /// <summary>Every team's weeks with all their revisions, as read back through the store (object keys sorted: jsonb reorders dictionary keys).</summary>
    private static string History(IDocumentDatabase database)
    {
        var audit = new AuditLog(database);
        var submissions = new SubmissionStore(database, audit, TimeProvider.System);
        var teams = new TeamDirectory(database, audit, TimeProvider.System).AllTeams().Select(t => t.Id).Order(StringComparer.Ordinal);
        return MigrationReport.CanonicalJson(JsonSerializer.Serialize(teams.ToDictionary(id => id, id => submissions.History(id).Select(s => new { s.TeamId, Week = s.Week.ToString(), s.Revisions }))));
    }

    private static Dictionary<string, string> Snapshot(string connectionString)
    {
        using var target = new PostgreSqlDocumentDatabase(connectionString);
        return StoredCollections.All.ToDictionary(c => c.Name, c => MigrationReport.Checksum(c, target) + "/" + c.Count(target));
    }
}
