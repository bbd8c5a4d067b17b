using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace ValueManagement.Features.Storage.PostgreSql;

/// <summary>
/// One collection as a table. Fields are read as text (<c>data #&gt;&gt; '{A,B}'</c>) in the "C"
/// collation, byte order, so equality matches the stored text exactly and times, written with a
/// fixed width in UTC, order as times; the indexes are on the same expressions.
/// </summary>
internal sealed partial class PostgreSqlDocumentCollection<T> : IDocumentCollection<T> where T : class
{
    private const int MaxIdentifierLength = 63;

    private readonly PostgreSqlDocumentDatabase _database;
    private readonly DocumentCollection<T> _collection;
    private readonly string _table;
    private readonly IReadOnlyList<(string Name, string Expression)> _indexes;

    public PostgreSqlDocumentCollection(PostgreSqlDocumentDatabase database, DocumentCollection<T> collection)
    {
        if (!CollectionName().IsMatch(collection.Name))
            throw new ArgumentException($"'{collection.Name}' cannot name a table: use lower-case letters, digits and underscores.", nameof(collection));
        _database = database;
        _collection = collection;
        _table = PostgreSqlDocumentDatabase.TablePrefix + collection.Name;
        _indexes = collection.IndexedFields.Select(path => (IndexName(_table, path), FieldText(path))).ToList();
    }

    public T? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Query($"select data from {_table} where id = @id", p => p.AddWithValue("id", id)).SingleOrDefault();
    }

    public bool Exists(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Scalar<bool>($"select exists (select 1 from {_table} where id = @id)", p => p.AddWithValue("id", id));
    }

    public IReadOnlyList<T> All() => Query($"select data from {_table} order by id collate \"C\"");

    public IReadOnlyList<T> Where<TValue>(Expression<Func<T, TValue>> field, TValue value)
    {
        var path = FieldPath.Of(field);
        var text = DocumentJson.TextOf(value);
        return text is null
            ? Query($"select data from {_table} where {Selector(path)} is null order by id collate \"C\"")
            : Query($"select data from {_table} where {Selector(path)} = @value order by id collate \"C\"", p => p.AddWithValue("value", text));
    }

    public IReadOnlyList<T> WhereIn<TValue>(Expression<Func<T, TValue>> field, IReadOnlyCollection<TValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var path = FieldPath.Of(field);
        if (values.Count == 0) return [];
        var texts = values.Select(DocumentJson.TextOf).ToList();
        var orNull = texts.Contains(null) ? $" or {Selector(path)} is null" : "";
        var present = texts.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        return Query($"select data from {_table} where {Selector(path)} = any(@values){orNull} order by id collate \"C\"",
            p => p.AddWithValue("values", NpgsqlDbType.Array | NpgsqlDbType.Text, present));
    }

    public IReadOnlyList<T> Top<TOrder>(Expression<Func<T, TOrder>> orderBy, int count, Expression<Func<T, string?>>? filterField = null, string? filterValue = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var orderPath = FieldPath.Of(orderBy);
        var order = IsNumber(typeof(TOrder)) ? $"(data #>> '{PathLiteral(orderPath)}')::numeric" : FieldText(orderPath);
        var filter = "";
        if (filterField is not null)
            filter = filterValue is null ? $"where {FieldText(FieldPath.Of(filterField))} is null" : $"where {FieldText(FieldPath.Of(filterField))} = @filter";
        return Query($"select data from {_table} {filter} order by {order} desc nulls last, id collate \"C\" desc limit @count", p =>
        {
            if (filterValue is not null) p.AddWithValue("filter", filterValue);
            p.AddWithValue("count", count);
        });
    }

    public int Count() => (int)Scalar<long>($"select count(*) from {_table}");

    public void Upsert(T document)
    {
        var (id, json) = Serialise(document);
        Execute($"insert into {_table} (id, data) values (@id, @data) on conflict (id) do update set data = excluded.data", p =>
        {
            p.AddWithValue("id", id);
            p.AddWithValue("data", NpgsqlDbType.Jsonb, json);
        });
    }

    public void UpsertMany(IEnumerable<T> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        // One statement is one transaction; a document listed twice is stored as its last copy, as one Upsert after another would.
        var lastById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var (id, json) = Serialise(document);
            lastById[id] = json;
        }
        if (lastById.Count == 0) return;
        Execute($"insert into {_table} (id, data) select * from unnest(@ids, @data) on conflict (id) do update set data = excluded.data", p =>
        {
            p.AddWithValue("ids", NpgsqlDbType.Array | NpgsqlDbType.Text, lastById.Keys.ToArray());
            p.AddWithValue("data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb, lastById.Values.ToArray());
        });
    }

    public bool TryInsert(T document)
    {
        var (id, json) = Serialise(document);
        return Execute($"insert into {_table} (id, data) values (@id, @data) on conflict (id) do nothing", p =>
        {
            p.AddWithValue("id", id);
            p.AddWithValue("data", NpgsqlDbType.Jsonb, json);
        }) == 1;
    }

    public bool Delete(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Execute($"delete from {_table} where id = @id", p => p.AddWithValue("id", id)) > 0;
    }

    public int DeleteAll() => Execute($"delete from {_table}");

    public int DeleteBefore(Expression<Func<T, DateTimeOffset>> field, DateTimeOffset cutoff)
    {
        var path = FieldPath.Of(field);
        return Execute($"delete from {_table} where {FieldText(path)} < @cutoff", p => p.AddWithValue("cutoff", DocumentJson.TextOf(cutoff)!));
    }

    private (string Id, string Json) Serialise(T document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var id = _collection.IdOf(document);
        if (string.IsNullOrEmpty(id)) throw new ArgumentException($"A document for '{_collection.Name}' has no id.", nameof(document));
        return (id, JsonSerializer.Serialize(document, DocumentJson.Options));
    }

    private List<T> Query(string sql, Action<NpgsqlParameterCollection>? parameters = null)
    {
        _database.PrepareTable(_table, _indexes);
        return _database.Run((connection, transaction) =>
        {
            using var command = new NpgsqlCommand(sql, connection, transaction);
            parameters?.Invoke(command.Parameters);
            using var reader = command.ExecuteReader();
            var documents = new List<T>();
            while (reader.Read())
                documents.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), DocumentJson.Options)
                    ?? throw new InvalidDataException($"A document in {_table} is null."));
            return documents;
        });
    }

    private TResult Scalar<TResult>(string sql, Action<NpgsqlParameterCollection>? parameters = null)
    {
        _database.PrepareTable(_table, _indexes);
        return _database.Run((connection, transaction) =>
        {
            using var command = new NpgsqlCommand(sql, connection, transaction);
            parameters?.Invoke(command.Parameters);
            return (TResult)command.ExecuteScalar()!;
        });
    }

    private int Execute(string sql, Action<NpgsqlParameterCollection>? parameters = null)
    {
        _database.PrepareTable(_table, _indexes);
        return _database.Run((connection, transaction) =>
        {
            using var command = new NpgsqlCommand(sql, connection, transaction);
            parameters?.Invoke(command.Parameters);
            return command.ExecuteNonQuery();
        });
    }

    /// <summary>The field's text in byte order, e.g. <c>(data #&gt;&gt; '{Assignment,AadObjectId}') collate "C"</c>; the indexes use the same expression.</summary>
    private static readonly string IdProperty = VmDatabase.IdPropertyOf(typeof(T)).Name;

    /// <summary>What a query compares for a field: the id column (its primary key index) for the id property, else the field in the document.</summary>
    private static string Selector(string path) => path == IdProperty ? "id" : FieldText(path);

    private static string FieldText(string path) => $"(data #>> '{PathLiteral(path)}') collate \"C\"";

    private static string PathLiteral(string path)
    {
        var names = path.Split('.');
        if (names.Any(name => !PropertyName().IsMatch(name)))
            throw new ArgumentException($"'{path}' is not a property path like A.B.", nameof(path));
        return "{" + string.Join(',', names) + "}";
    }

    private static string IndexName(string table, string path)
    {
        var name = $"{table}_{path.Replace('.', '_').ToLowerInvariant()}";
        if (name.Length <= MaxIdentifierLength) return name;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..8];
        return $"{name[..(MaxIdentifierLength - 9)]}_{hash}";
    }

    private static bool IsNumber(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return !type.IsEnum && Type.GetTypeCode(type) is TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32
            or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 or TypeCode.Single or TypeCode.Double or TypeCode.Decimal;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,50}$")]
    private static partial Regex CollectionName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PropertyName();
}
