using System.Linq.Expressions;
using LiteDB;

namespace ValueManagement.Features.Storage;

/// <summary>The LiteDB engine behind <see cref="IDocumentDatabase"/>.</summary>
public sealed partial class VmDatabase : IDocumentDatabase
{
    public string Description => Path;

    public IDocumentCollection<T> Collection<T>(DocumentCollection<T> collection) where T : class => new LiteDbDocumentCollection<T>(this, collection);

    public TResult InTransaction<TResult>(Func<TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var database = Database;
        var owns = database.BeginTrans();
        _transactionDepth++;
        try
        {
            var result = work();
            if (owns) database.Commit();
            return result;
        }
        catch
        {
            if (owns) RollBack(database);
            throw;
        }
        finally
        {
            if (--_transactionDepth == 0) ReleaseKeys();
        }
    }

    /// <summary>
    /// Writes the log into the data file, which leaves the log empty. LiteDB writes a page back in its place
    /// and clears the space a changed or deleted document no longer uses, so after the checkpoint the old text
    /// is in neither file (the redaction tests read both files' bytes); no rebuild of the whole file is needed.
    /// </summary>
    public void Compact(IReadOnlyCollection<string> collectionNames) => Database.Checkpoint();

    // LiteDB's transactions belong to the calling thread, and so do the keys held in them.
    [ThreadStatic] private static int _transactionDepth;
    [ThreadStatic] private static List<object>? _heldKeys;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _keys = new(StringComparer.Ordinal);

    /// <summary>
    /// Holds the key until the transaction ends. The file has one writer process (see the lock file), so
    /// the key only has to keep other threads of this process out.
    /// </summary>
    public void LockKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (_transactionDepth == 0) throw new InvalidOperationException("LockKey holds a key until the transaction ends: call it inside InTransaction.");
        var gate = _keys.GetOrAdd(key, _ => new object());
        if (Monitor.IsEntered(gate)) return;
        Monitor.Enter(gate);
        (_heldKeys ??= []).Add(gate);
    }

    private static void ReleaseKeys()
    {
        if (_heldKeys is not { Count: > 0 } held) return;
        foreach (var gate in held) Monitor.Exit(gate);
        held.Clear();
    }

    // After a failed write (disk full) LiteDB's rollback can fail too, leaving the engine unable to write
    // although it still reads: report the first failure, and open the file afresh on next use.
    private void RollBack(LiteDatabase database)
    {
        try
        {
            database.Rollback();
        }
        catch (Exception e) when (e is IOException or LiteException or ObjectDisposedException or UnauthorizedAccessException)
        {
            _broken = database;
        }
    }

    public bool IsAvailable()
    {
        try
        {
            _ = Migrations.ReadVersion(Database);
            return true;
        }
        catch (Exception e) when (e is IOException or LiteException or ObjectDisposedException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, Type> IdTypes = new();

    // LiteDB's own rule: the property marked [BsonId], else the one named Id.
    private static Type IdTypeOf(Type documentType)
    {
        var id = IdPropertyOf(documentType);
        return Nullable.GetUnderlyingType(id.PropertyType) ?? id.PropertyType;
    }

    internal static System.Reflection.PropertyInfo IdPropertyOf(Type documentType)
    {
        var properties = documentType.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance);
        return properties.FirstOrDefault(p => p.IsDefined(typeof(BsonIdAttribute), inherit: true))
            ?? properties.FirstOrDefault(p => p.Name == "Id")
            ?? throw new InvalidOperationException($"{documentType.Name} has no id property.");
    }

    internal BsonValue Serialize<TValue>(TValue value) => _mapper.Serialize(typeof(TValue), value);

    /// <summary>The id as LiteDB stores it for <typeparamref name="T"/> (ids are strings in the seam, numbers or ObjectIds in some documents).</summary>
    internal BsonValue IdValue<T>(string id)
    {
        var type = IdTypes.GetOrAdd(typeof(T), IdTypeOf);
        return type switch
        {
            _ when type == typeof(int) => new BsonValue(int.Parse(id, System.Globalization.CultureInfo.InvariantCulture)),
            _ when type == typeof(long) => new BsonValue(long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)),
            _ when type == typeof(ObjectId) => new BsonValue(new ObjectId(id)),
            _ => new BsonValue(id),
        };
    }
}

internal sealed class LiteDbDocumentCollection<T>(VmDatabase database, DocumentCollection<T> collection) : IDocumentCollection<T> where T : class
{
    private ILiteCollection<T> Documents => database.Collection<T>(collection.Name);

    private static BsonExpression Field(LambdaExpression field) => BsonExpression.Create(PathOf(field));

    private static readonly string IdProperty = VmDatabase.IdPropertyOf(typeof(T)).Name;

    /// <summary>LiteDB keeps a document's id property as <c>_id</c>: <c>$.Id</c> would be null for every document.</summary>
    private static string PathOf(LambdaExpression field) => PathOf(FieldPath.Of(field));

    private static string PathOf(string path) => path == IdProperty ? "$._id" : "$." + path;

    public T? Find(string id) => Documents.FindById(database.IdValue<T>(id));

    public bool Exists(string id) => Documents.Exists(Query.EQ("_id", database.IdValue<T>(id)));

    public IReadOnlyList<T> All() => Documents.FindAll().ToList();

    // LiteDB compares strings with the file's collation, which ignores case; the seam compares exactly.
    public IReadOnlyList<T> Where<TValue>(Expression<Func<T, TValue>> field, TValue value)
    {
        var path = FieldPath.Of(field);
        var found = Documents.Find(Query.EQ(PathOf(path), database.Serialize(value)));
        return value is string text ? found.Where(d => string.Equals(FieldText(d, path), text, StringComparison.Ordinal)).ToList() : found.ToList();
    }

    public IReadOnlyList<T> WhereIn<TValue>(Expression<Func<T, TValue>> field, IReadOnlyCollection<TValue> values)
    {
        if (values.Count == 0) return [];
        var path = FieldPath.Of(field);
        var found = Documents.Find(Query.In(PathOf(path), values.Select(database.Serialize).ToArray()));
        if (typeof(TValue) != typeof(string)) return found.ToList();
        var wanted = values.Cast<string?>().ToHashSet(StringComparer.Ordinal);
        return found.Where(d => wanted.Contains(FieldText(d, path))).ToList();
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<T, object?>> Readers = new(StringComparer.Ordinal);

    private static string? FieldText(T document, string path) => Readers.GetOrAdd(path, Reader)(document) as string;

    private static Func<T, object?> Reader(string path)
    {
        var properties = new List<System.Reflection.PropertyInfo>();
        var type = typeof(T);
        foreach (var name in path.Split('.'))
        {
            var property = type.GetProperty(name) ?? throw new ArgumentException($"{type.Name} has no property {name}.", nameof(path));
            properties.Add(property);
            type = property.PropertyType;
        }
        return document =>
        {
            object? value = document;
            foreach (var property in properties)
            {
                if (value is null) return null;
                value = property.GetValue(value);
            }
            return value;
        };
    }

    public IReadOnlyList<T> Top<TOrder>(Expression<Func<T, TOrder>> orderBy, int count, Expression<Func<T, string?>>? filterField = null, string? filterValue = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var query = Documents.Query();
        if (filterField is null) return query.OrderBy(Field(orderBy), Query.Descending).Limit(count).ToList();
        var path = FieldPath.Of(filterField);
        query = query.Where(Query.EQ(PathOf(path), new BsonValue(filterValue)));
        return query.OrderBy(Field(orderBy), Query.Descending).ToEnumerable()
            .Where(d => string.Equals(FieldText(d, path), filterValue, StringComparison.Ordinal)).Take(count).ToList();
    }

    public int Count() => Documents.Count();

    public void Upsert(T document) => Documents.Upsert(document);

    public void UpsertMany(IEnumerable<T> documents) => Documents.Upsert(documents);

    public bool TryInsert(T document)
    {
        var documents = Documents;
        if (documents.Exists(Query.EQ("_id", database.IdValue<T>(collection.IdOf(document))))) return false;
        documents.Insert(document);
        return true;
    }

    public bool Delete(string id) => Documents.Delete(database.IdValue<T>(id));

    public int DeleteAll() => Documents.DeleteAll();

    public int DeleteBefore(Expression<Func<T, DateTimeOffset>> field, DateTimeOffset cutoff) =>
        Documents.DeleteMany(Query.LT(PathOf(field), database.Serialize(cutoff)));
}
