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

    /// <summary>
    /// Nothing to do: the file has one writer process (see the lock file), and stores serialise their
    /// read-change-write sequences within the process.
    /// </summary>
    public void LockKey(string key) => ArgumentException.ThrowIfNullOrEmpty(key);

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
        var properties = documentType.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance);
        var id = properties.FirstOrDefault(p => p.IsDefined(typeof(BsonIdAttribute), inherit: true))
            ?? properties.FirstOrDefault(p => p.Name == "Id")
            ?? throw new InvalidOperationException($"{documentType.Name} has no id property.");
        return Nullable.GetUnderlyingType(id.PropertyType) ?? id.PropertyType;
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

    /// <summary>LiteDB keeps a document's <c>Id</c> as <c>_id</c>: <c>$.Id</c> would be null for every document.</summary>
    private static string PathOf(LambdaExpression field) => FieldPath.Of(field) is var path && path == "Id" ? "$._id" : "$." + path;

    public T? Find(string id) => Documents.FindById(database.IdValue<T>(id));

    public bool Exists(string id) => Documents.Exists(Query.EQ("_id", database.IdValue<T>(id)));

    public IReadOnlyList<T> All() => Documents.FindAll().ToList();

    public IReadOnlyList<T> Where<TValue>(Expression<Func<T, TValue>> field, TValue value) =>
        Documents.Find(Query.EQ(PathOf(field), database.Serialize(value))).ToList();

    public IReadOnlyList<T> WhereIn<TValue>(Expression<Func<T, TValue>> field, IReadOnlyCollection<TValue> values) =>
        values.Count == 0 ? [] : Documents.Find(Query.In(PathOf(field), values.Select(database.Serialize).ToArray())).ToList();

    public IReadOnlyList<T> Top<TOrder>(Expression<Func<T, TOrder>> orderBy, int count, Expression<Func<T, string?>>? filterField = null, string? filterValue = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var query = Documents.Query();
        if (filterField is not null) query = query.Where(Query.EQ(PathOf(filterField), new BsonValue(filterValue)));
        return query.OrderBy(Field(orderBy), Query.Descending).Limit(count).ToList();
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
