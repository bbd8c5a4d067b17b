using System.Collections.Concurrent;
using System.Linq.Expressions;
using LiteDB;

namespace ValueManagement.Features.Storage;

/// <summary>
/// Interim bridge: the LiteDB file (<see cref="VmDatabase"/>) behind the <see cref="IDocumentDatabase"/> seam, so a
/// store written against the seam runs before VmDatabase implements it. Delete this file (and its one registration
/// in FeatureServiceCollectionExtensions) when "VmDatabase implements IDocumentDatabase" is merged.
/// </summary>
public sealed class VmDocumentDatabase(VmDatabase database) : IDocumentDatabase
{
    private readonly ConcurrentDictionary<string, bool> _indexed = new(StringComparer.Ordinal);

    public string Description => $"LiteDB {database.Path}";

    public IDocumentCollection<T> Collection<T>(DocumentCollection<T> collection) where T : class
    {
        var liteCollection = database.Collection<T>(collection.Name);
        if (_indexed.TryAdd(collection.Name, true))
            foreach (var field in collection.IndexedFields) liteCollection.EnsureIndex(field, "$." + field);
        return new Documents<T>(liteCollection, collection, database.Database.Mapper);
    }

    public TResult InTransaction<TResult>(Func<TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var owns = database.Database.BeginTrans();
        try
        {
            var result = work();
            if (owns) database.Database.Commit();
            return result;
        }
        catch
        {
            if (owns) database.Database.Rollback();
            throw;
        }
    }

    /// <summary>One process writes the file, and LiteDB's transaction already keeps writers apart.</summary>
    public void LockKey(string key) { }

    public bool IsAvailable()
    {
        try
        {
            _ = database.Database.UserVersion;
            return true;
        }
        catch (LiteException)
        {
            return false;
        }
    }

    private sealed class Documents<T>(ILiteCollection<T> collection, DocumentCollection<T> definition, BsonMapper mapper) : IDocumentCollection<T> where T : class
    {
        public T? Find(string id) => collection.FindById(id);

        public bool Exists(string id) => collection.Exists(Query.EQ("_id", id));

        public IReadOnlyList<T> All() => collection.FindAll().ToList();

        public IReadOnlyList<T> Where<TValue>(Expression<Func<T, TValue>> field, TValue value) =>
            collection.Find(Query.EQ("$." + FieldPath.Of(field), mapper.Serialize(typeof(TValue), value))).ToList();

        public IReadOnlyList<T> WhereIn<TValue>(Expression<Func<T, TValue>> field, IReadOnlyCollection<TValue> values) =>
            values.Count == 0 ? [] : collection.Find(Query.In("$." + FieldPath.Of(field), values.Select(v => mapper.Serialize(typeof(TValue), v)).ToArray())).ToList();

        public IReadOnlyList<T> Top<TOrder>(Expression<Func<T, TOrder>> orderBy, int count, Expression<Func<T, string?>>? filterField = null, string? filterValue = null)
        {
            var query = collection.Query();
            if (filterField is not null) query = query.Where(Query.EQ("$." + FieldPath.Of(filterField), filterValue));
            return query.OrderByDescending("$." + FieldPath.Of(orderBy)).Limit(count).ToList();
        }

        public int Count() => collection.Count();

        public void Upsert(T document) => collection.Upsert(definition.IdOf(document), document);

        public void UpsertMany(IEnumerable<T> documents)
        {
            foreach (var document in documents) Upsert(document);
        }

        public bool TryInsert(T document)
        {
            var id = definition.IdOf(document);
            if (collection.FindById(id) is not null) return false;
            collection.Insert(id, document);
            return true;
        }

        public bool Delete(string id) => collection.Delete(id);

        public int DeleteAll() => collection.DeleteAll();

        public int DeleteBefore(Expression<Func<T, DateTimeOffset>> field, DateTimeOffset cutoff) =>
            collection.DeleteMany(Query.LT("$." + FieldPath.Of(field), mapper.Serialize(typeof(DateTimeOffset), cutoff)));
    }
}
