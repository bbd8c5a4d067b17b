using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Features.Tests.Storage;

/// <summary>The contract on PostgreSQL: two <see cref="PostgreSqlDocumentDatabase"/> objects on one fresh database, as two bot instances.</summary>
public sealed class PostgreSqlDocumentDatabaseTests(PostgreSqlDatabaseFixture fixture) : DocumentDatabaseContractTests, IClassFixture<PostgreSqlDatabaseFixture>, IDisposable
{
    private PostgreSqlDocumentDatabase? _database;
    private PostgreSqlDocumentDatabase? _second;

    protected override IDocumentDatabase Database => _database ??= new PostgreSqlDocumentDatabase(fixture.RequireConnectionString());

    protected override IDocumentDatabase SecondInstance => _second ??= new PostgreSqlDocumentDatabase(fixture.RequireConnectionString());

    [SkippableFact]
    public void Collection_FirstUse_CreatesTableWithIndexesAndSchemaVersion()
    {
        var documents = Database.Collection(new DocumentCollection<Row>("shape_check", r => r.Id, nameof(Row.TeamId), "Nested.Key"));

        documents.Upsert(new Row("a", "ward-7"));

        var indexes = Sql<string>("select indexdef from pg_indexes where tablename = 'vm_shape_check' order by indexname");
        Assert.Contains(indexes, i => i.Contains("'{TeamId}'", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("'{Nested,Key}'", StringComparison.Ordinal));
        Assert.Equal([PostgreSqlDocumentDatabase.SchemaVersion], Sql<int>("select version from vm_schema_version where component = 'documents'"));
    }

    [SkippableFact]
    public void ADatabaseOfLayout1_IsBroughtUpToDate_AndADatabaseOfANewerLayoutIsRefused()
    {
        var server = PostgreSqlTestServer.Shared;
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        var connectionString = server.CreateDatabase(out var name);
        try
        {
            // As the first release with PostgreSQL left it: layout 1, with current values in one document per team and week.
            Execute(connectionString,
                "create table vm_schema_version (component text primary key, version integer not null, applied_at timestamptz not null default now());" +
                "insert into vm_schema_version (component, version) values ('documents', 1);" +
                "create table vm_current_values (id text primary key, data jsonb not null);");
            using (var upgraded = new PostgreSqlDocumentDatabase(connectionString))
                upgraded.Collection(new DocumentCollection<Row>("rows", r => r.Id)).Upsert(new Row("a", "ward-7"));
            Assert.Equal(PostgreSqlDocumentDatabase.SchemaVersion, Scalar<int>(connectionString, "select version from vm_schema_version where component = 'documents'"));
            Assert.False(Scalar<bool>(connectionString, "select to_regclass('vm_current_values') is not null"));

            Execute(connectionString, $"update vm_schema_version set version = {PostgreSqlDocumentDatabase.SchemaVersion + 1}");
            using var older = new PostgreSqlDocumentDatabase(connectionString);
            var refused = Assert.Throws<InvalidOperationException>(() => older.Collection(new DocumentCollection<Row>("others", r => r.Id)).Upsert(new Row("b", "ward-7")));
            Assert.Contains("Run the newer bot", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            server.DropDatabase(name);
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static TValue Scalar<TValue>(string connectionString, string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (TValue)command.ExecuteScalar()!;
    }

    [SkippableFact]
    public void Collection_FirstUseByTwoInstancesAtOnce_BothWrite()
    {
        var definition = new DocumentCollection<Row>($"race_{Guid.NewGuid():N}", r => r.Id, nameof(Row.TeamId));
        var instances = new[] { (PostgreSqlDocumentDatabase)Database, (PostgreSqlDocumentDatabase)SecondInstance };
        using var start = new Barrier(8);

        var writers = Enumerable.Range(0, 8).Select(i => Task.Factory.StartNew(() =>
        {
            var documents = instances[i % 2].Collection(definition);
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            documents.Upsert(new Row($"row-{i}", "ward-7"));
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(writers);

        Assert.Equal(8, Database.Collection(definition).Count());
    }

    [SkippableFact]
    public void Collection_NameThatIsNotAnIdentifier_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => Database.Collection(new DocumentCollection<Row>("drop table; --", r => r.Id)));
    }

    [SkippableFact]
    public void Operations_ServerUnreachable_ThrowIOExceptionAndIsAvailableAnswersFalse()
    {
        _ = fixture.RequireConnectionString();
        using var closed = new PostgreSqlDocumentDatabase($"Host=127.0.0.1;Port={ClosedPort()};Username=nobody;Database=nothing;Timeout=2");
        var documents = closed.Collection(new DocumentCollection<Row>("rows", r => r.Id));

        var thrown = Assert.ThrowsAny<IOException>(() => documents.Find("a"));
        Assert.IsType<PostgreSqlStorageException>(thrown);
        Assert.Throws<PostgreSqlStorageException>(() => closed.InTransaction(() => documents.Upsert(new Row("a", "ward-7"))));
        Assert.False(closed.IsAvailable());
    }

    public void Dispose()
    {
        _database?.Dispose();
        _second?.Dispose();
    }

    private List<TValue> Sql<TValue>(string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(fixture.RequireConnectionString());
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<TValue>();
        while (reader.Read()) values.Add(reader.GetFieldValue<TValue>(0));
        return values;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public sealed record Row(string Id, string TeamId);
}
