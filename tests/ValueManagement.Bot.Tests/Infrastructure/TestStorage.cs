using System.Collections.Concurrent;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Bot.Tests.Infrastructure;

/// <summary>
/// Which engine the bot's tests run on: the LiteDB file by default; with <c>VM_TEST_STORAGE=PostgreSql</c>
/// the same tests run on PostgreSQL (the shared <see cref="PostgreSqlTestServer"/>), one fresh database
/// per data file path, so a test that restarts the bot on "the same file" gets the same database.
/// </summary>
public static class TestStorage
{
    public const string EnvironmentVariable = "VM_TEST_STORAGE";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Databases = new(StringComparer.Ordinal);

    public static bool IsPostgreSql =>
        string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The settings that put a bot host's data where this run keeps it.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> SettingsFor(string databasePath)
    {
        yield return new("Storage:LiteDb:Path", databasePath);
        if (!IsPostgreSql) yield break;
        yield return new("Storage:Provider", "PostgreSql");
        yield return new("Storage:PostgreSql:ConnectionString", Databases.GetOrAdd(databasePath, _ => new Lazy<string>(CreateDatabase)).Value);
    }

    private static string CreateDatabase()
    {
        var server = PostgreSqlTestServer.Shared;
        if (server.UnavailableReason is { } reason)
            throw new InvalidOperationException($"{EnvironmentVariable}=PostgreSql, but there is no PostgreSQL server for the tests: {reason}");
        return server.CreateDatabase(out _);
    }
}
