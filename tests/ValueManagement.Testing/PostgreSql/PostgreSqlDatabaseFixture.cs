using Xunit;

namespace ValueManagement.Testing.PostgreSql;

/// <summary>
/// A fresh, empty database on the shared <see cref="PostgreSqlTestServer"/> for one test class
/// (<c>IClassFixture&lt;PostgreSqlDatabaseFixture&gt;</c>), dropped after the class. Tests call
/// <see cref="RequireConnectionString"/>, which skips them with the plain reason when there is no server.
/// </summary>
public sealed class PostgreSqlDatabaseFixture : IDisposable
{
    private readonly Lazy<(string Name, string ConnectionString)?> _database;

    public PostgreSqlDatabaseFixture()
    {
        _database = new Lazy<(string, string)?>(() =>
        {
            var server = PostgreSqlTestServer.Shared;
            if (server.UnavailableReason is not null) return null;
            var connectionString = server.CreateDatabase(out var name);
            return (name, connectionString);
        });
    }

    /// <summary>The database's connection string; skips the calling test when there is no server.</summary>
    public string RequireConnectionString()
    {
        var database = _database.Value;
        Skip.If(database is null, PostgreSqlTestServer.Shared.UnavailableReason);
        return database!.Value.ConnectionString;
    }

    public void Dispose()
    {
        if (_database is { IsValueCreated: true, Value: { } database }) PostgreSqlTestServer.Shared.DropDatabase(database.Name);
    }
}
