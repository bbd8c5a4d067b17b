using System.Collections.Concurrent;
using System.Data;
using Npgsql;

namespace ValueManagement.Features.Storage.PostgreSql;

/// <summary>
/// The documents in PostgreSQL, for several bot instances on one database: one table per
/// collection (<c>vm_&lt;name&gt;</c>: <c>id text primary key, data jsonb</c>), created at first
/// use with an index per indexed field, and a schema-version table.
/// </summary>
/// <remarks>
/// A transaction belongs to the thread that opened it, as LiteDB's do: <see cref="InTransaction{TResult}"/>
/// keeps its connection for the calling thread, and every operation on that thread joins it until it
/// ends. Outside a transaction each operation takes a pooled connection of its own. Failures of the
/// server or the connection surface as <see cref="PostgreSqlStorageException"/>, an <see cref="IOException"/>,
/// which the host answers as "storage unavailable" as it does for the data file.
/// </remarks>
public sealed class PostgreSqlDocumentDatabase : IDocumentDatabase, IDisposable
{
    /// <summary>The layout this code writes; a database with a newer one is refused rather than misread.</summary>
    /// <remarks>
    /// 2: current values in one document per team (<c>vm_current_values_by_team</c>) and the tenant ceiling as a next free
    /// slot per tenant (<c>vm_delivery_tenant_paces</c>); layout 1's per-week values and per-second counters dropped.
    /// </remarks>
    public const int SchemaVersion = 2;

    internal const string TablePrefix = "vm_";
    private const string SchemaVersionTable = "vm_schema_version";
    private const string SchemaComponent = "documents";
    private static readonly TimeSpan AvailabilityTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly ThreadLocal<OpenTransaction?> _current = new();
    private readonly ConcurrentDictionary<string, object> _collections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _preparedTables = new(StringComparer.Ordinal);
    private readonly Lock _preparing = new();
    private volatile bool _schemaChecked;

    private readonly bool _mayUpgradeLayout;

    /// <param name="mayUpgradeLayout">
    /// Whether a database of an older layout is brought up to date at first use (the bot, and <c>vm migrate</c>, which
    /// writes this layout), or refused (the other <c>vm</c> commands: upgrading under instances of the older version
    /// still running would take tables from under them).
    /// </param>
    /// <exception cref="ArgumentException">The connection string cannot be read.</exception>
    public PostgreSqlDocumentDatabase(string connectionString, bool mayUpgradeLayout = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _mayUpgradeLayout = mayUpgradeLayout;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public string Description { get; }

    public IDocumentCollection<T> Collection<T>(DocumentCollection<T> collection) where T : class
    {
        ArgumentNullException.ThrowIfNull(collection);
        var made = _collections.GetOrAdd(collection.Name, _ => new PostgreSqlDocumentCollection<T>(this, collection));
        return made as IDocumentCollection<T>
            ?? throw new InvalidOperationException($"The collection '{collection.Name}' is already used for {made.GetType().GenericTypeArguments[0].Name}, not {typeof(T).Name}.");
    }

    public TResult InTransaction<TResult>(Func<TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_current.Value is not null) return work();

        NpgsqlConnection? connection = null;
        NpgsqlTransaction? transaction = null;
        try
        {
            connection = Translate(() => _dataSource.OpenConnection());
            transaction = Translate(() => connection.BeginTransaction(IsolationLevel.ReadCommitted));
            _current.Value = new OpenTransaction(connection, transaction);
            var result = work();
            Translate(transaction.Commit);
            return result;
        }
        finally
        {
            _current.Value = null;
            // Disposing an uncommitted transaction rolls it back; a broken connection cannot, and the server drops it anyway.
            try { transaction?.Dispose(); } catch (NpgsqlException) { }
            connection?.Dispose();
        }
    }

    public void LockKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var open = _current.Value ?? throw new InvalidOperationException($"LockKey(\"{key}\") needs a transaction: call it inside InTransaction.");
        using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended(@key, 0))", open.Connection, open.Transaction);
        command.Parameters.AddWithValue("key", key);
        Translate(command.ExecuteNonQuery);
    }

    /// <summary>Whether the server answers and takes writes (a standby in recovery does not).</summary>
    public bool IsAvailable()
    {
        try
        {
            using var connection = _dataSource.OpenConnection();
            using var command = new NpgsqlCommand("select not pg_is_in_recovery()", connection) { CommandTimeout = (int)AvailabilityTimeout.TotalSeconds };
            return command.ExecuteScalar() is true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Vacuums the collections' tables, so the row versions a redaction replaced are removed from them.</summary>
    public void Compact(IReadOnlyCollection<string> collectionNames)
    {
        ArgumentNullException.ThrowIfNull(collectionNames);
        if (_current.Value is not null) throw new InvalidOperationException("VACUUM cannot run inside a transaction: call Compact after it ends.");
        Translate(() =>
        {
            using var connection = _dataSource.OpenConnection();
            foreach (var name in collectionNames.Distinct(StringComparer.Ordinal))
            {
                using var exists = new NpgsqlCommand("select to_regclass(@table) is not null", connection);
                exists.Parameters.AddWithValue("table", TablePrefix + name);
                if (exists.ExecuteScalar() is not true) continue;
                using var vacuum = new NpgsqlCommand($"vacuum {TablePrefix}{name}", connection);
                vacuum.ExecuteNonQuery();
            }
            return true;
        });
    }

    public void Dispose()
    {
        _current.Dispose();
        _dataSource.Dispose();
    }

    /// <summary>Runs <paramref name="operation"/> on the thread's transaction, or on a pooled connection of its own.</summary>
    internal TResult Run<TResult>(Func<NpgsqlConnection, NpgsqlTransaction?, TResult> operation)
    {
        if (_current.Value is { } open) return Translate(() => operation(open.Connection, open.Transaction));
        return Translate(() =>
        {
            using var connection = _dataSource.OpenConnection();
            return operation(connection, null);
        });
    }

    /// <summary>
    /// Creates the collection's table and indexes unless they are there. It runs on a connection of its
    /// own, so a caller's transaction that rolls back does not take the table with it, and it serialises
    /// with other instances doing the same through an advisory lock.
    /// </summary>
    internal void PrepareTable(string table, IReadOnlyList<(string Name, string Expression)> indexes)
    {
        if (_preparedTables.ContainsKey(table)) return;
        lock (_preparing)
        {
            if (_preparedTables.ContainsKey(table)) return;
            Translate(() =>
            {
                using var connection = _dataSource.OpenConnection();
                if (!_schemaChecked)
                {
                    CheckSchemaVersion(connection);
                    _schemaChecked = true;
                }
                if (!TableIsComplete(connection, table, indexes)) CreateTable(connection, table, indexes);
                return true;
            });
            _preparedTables[table] = true;
        }
    }

    private static bool TableIsComplete(NpgsqlConnection connection, string table, IReadOnlyList<(string Name, string Expression)> indexes)
    {
        using var command = new NpgsqlCommand(
            "select to_regclass(@table) is not null and (select count(*) from pg_indexes where schemaname = current_schema() and tablename = @table and indexname = any(@indexes)) = @count",
            connection);
        command.Parameters.AddWithValue("table", table);
        command.Parameters.AddWithValue("indexes", indexes.Select(i => i.Name).ToArray());
        command.Parameters.AddWithValue("count", (long)indexes.Count);
        return command.ExecuteScalar() is true;
    }

    private static void CreateTable(NpgsqlConnection connection, string table, IReadOnlyList<(string Name, string Expression)> indexes)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "select pg_advisory_xact_lock(hashtextextended('vm:schema', 0))");
        Execute(connection, transaction, $"create table if not exists {table} (id text primary key, data jsonb not null)");
        foreach (var (name, expression) in indexes)
            Execute(connection, transaction, $"create index if not exists {name} on {table} (({expression}) nulls first)");
        transaction.Commit();
    }

    /// <summary>Checks the database's layout now (and brings an older one up to date when allowed), rather than at first use.</summary>
    /// <exception cref="InvalidOperationException">The layout is newer than this program's, or older and may not be upgraded.</exception>
    /// <exception cref="PostgreSqlStorageException">The server cannot be reached or refused the login.</exception>
    public void EnsureLayout()
    {
        if (_schemaChecked) return;
        lock (_preparing)
        {
            if (_schemaChecked) return;
            Translate(() =>
            {
                using var connection = _dataSource.OpenConnection();
                CheckSchemaVersion(connection);
                return true;
            });
            _schemaChecked = true;
        }
    }

    private void CheckSchemaVersion(NpgsqlConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "select pg_advisory_xact_lock(hashtextextended('vm:schema', 0))");
        Execute(connection, transaction, $"create table if not exists {SchemaVersionTable} (component text primary key, version integer not null, applied_at timestamptz not null default now())");
        Execute(connection, transaction, $"insert into {SchemaVersionTable} (component, version) values ('{SchemaComponent}', {SchemaVersion}) on conflict (component) do nothing");
        using var read = new NpgsqlCommand($"select version from {SchemaVersionTable} where component = '{SchemaComponent}'", connection, transaction);
        var stored = (int)read.ExecuteScalar()!;
        if (stored < SchemaVersion && !_mayUpgradeLayout)
            throw new InvalidOperationException($"The database has document layout {stored}; this program writes layout {SchemaVersion}. Stop every instance of the older bot, start this version (it brings the layout up to date), then run this again.");
        if (stored < SchemaVersion)
        {
            // Tables appear at first use, so moving up only removes what a newer layout no longer reads.
            Execute(connection, transaction, $"drop table if exists {TablePrefix}{Collections.CurrentValuesByWeek}");
            Execute(connection, transaction, $"drop table if exists {TablePrefix}delivery_tenant_windows");
            Execute(connection, transaction, $"update {SchemaVersionTable} set version = {SchemaVersion}, applied_at = now() where component = '{SchemaComponent}'");
        }
        transaction.Commit();
        if (stored > SchemaVersion)
            throw new InvalidOperationException($"The database has document schema version {stored}; this version of the bot knows up to {SchemaVersion}. Run the newer bot, or restore a backup.");
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    private TResult Translate<TResult>(Func<TResult> operation)
    {
        try
        {
            return operation();
        }
        catch (NpgsqlException e)
        {
            throw new PostgreSqlStorageException(Description, e);
        }
    }

    private void Translate(Action operation) => Translate(() =>
    {
        operation();
        return true;
    });

    private sealed record OpenTransaction(NpgsqlConnection Connection, NpgsqlTransaction Transaction);
}

/// <summary>
/// PostgreSQL could not be reached or failed a statement. It is an <see cref="IOException"/> so the
/// bot answers "storage unavailable, try again" (503 on <c>/api/messages</c>), as for the data file.
/// </summary>
public sealed class PostgreSqlStorageException(string database, NpgsqlException inner)
    : IOException($"{database}: {inner.Message}", inner)
{
    /// <summary>The server's SQLSTATE when the server answered with an error (e.g. 57P01 when it is shutting down); null when it could not be reached.</summary>
    public string? SqlState { get; } = (inner as PostgresException)?.SqlState;
}
