using System.Linq.Expressions;

namespace ValueManagement.Features.Storage;

/// <summary>
/// Where the stores keep their documents: a LiteDB file (<see cref="VmDatabase"/>, one process) or
/// PostgreSQL (several bot instances on one database). Stores are written once against this; each
/// engine maps it onto its own queries, transactions and locks.
/// </summary>
/// <remarks>
/// The API is synchronous on purpose: LiteDB's transactions belong to the calling thread, and no
/// store awaits while it holds one.
/// </remarks>
public interface IDocumentDatabase
{
    /// <summary>A short description for logs and health checks, e.g. the file or the server and database.</summary>
    string Description { get; }

    IDocumentCollection<T> Collection<T>(DocumentCollection<T> collection) where T : class;

    /// <summary>Runs <paramref name="work"/> in one transaction: all of its writes are stored, or none. Joins the caller's transaction when one is open.</summary>
    TResult InTransaction<TResult>(Func<TResult> work);

    /// <summary>
    /// Inside a transaction: waits until no other writer, in this process or another instance, holds
    /// <paramref name="key"/>, and holds it until the transaction ends. Read-change-write sequences on one
    /// record (a week's submission, an activity claim) take it before they read.
    /// </summary>
    void LockKey(string key);

    /// <summary>Answers whether the engine can read and write now (for the readiness check).</summary>
    bool IsAvailable();

    /// <summary>
    /// Rewrites the storage of these collections so that what was overwritten or deleted is gone from it, not
    /// only from queries (after a redaction): LiteDB keeps changed pages in its log until a checkpoint,
    /// PostgreSQL keeps old row versions until a vacuum. Call it outside a transaction.
    /// </summary>
    void Compact(IReadOnlyCollection<string> collectionNames);
}

public static class DocumentDatabaseExtensions
{
    public static void InTransaction(this IDocumentDatabase database, Action work) =>
        database.InTransaction(() =>
        {
            work();
            return true;
        });
}

/// <summary>
/// One kind of document and its collection: the name (a LiteDB collection, a PostgreSQL table), how
/// to read a document's id, and the fields queries filter or order on (each gets an index).
/// </summary>
public sealed class DocumentCollection<T>(string name, Func<T, string> idOf, params string[] indexedFields) : IStoredCollection where T : class
{
    public string Name { get; } = name;
    public Func<T, string> IdOf { get; } = idOf;
    public IReadOnlyList<string> IndexedFields { get; } = indexedFields;

    public int Count(IDocumentDatabase database) => database.Collection(this).Count();

    public IEnumerable<(string Id, string Json)> Export(IDocumentDatabase database) =>
        database.Collection(this).All()
            .Select(document => (IdOf(document), System.Text.Json.JsonSerializer.Serialize(document, PostgreSql.DocumentJson.Options)))
            .OrderBy(d => d.Item1, StringComparer.Ordinal);

    /// <summary>
    /// Replaces <paramref name="text"/> with <paramref name="replacement"/> wherever it appears in a document of this
    /// collection (inside the caller's transaction, if any); returns how many documents changed.
    /// </summary>
    public int ReplaceText(IDocumentDatabase database, string text, string replacement)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var found = JsonText(text);
        var replaced = JsonText(replacement);
        var changed = 0;
        var documents = database.Collection(this);
        foreach (var document in documents.All())
        {
            var json = System.Text.Json.JsonSerializer.Serialize(document, PostgreSql.DocumentJson.Options);
            if (!json.Contains(found, StringComparison.Ordinal)) continue;
            documents.Upsert(System.Text.Json.JsonSerializer.Deserialize<T>(json.Replace(found, replaced, StringComparison.Ordinal), PostgreSql.DocumentJson.Options)!);
            changed++;
        }
        return changed;
    }

    // The text as it is written inside a JSON string.
    private static string JsonText(string text) => System.Text.Json.JsonSerializer.Serialize(text, PostgreSql.DocumentJson.Options)[1..^1];

    public int CopyTo(IDocumentDatabase source, IDocumentDatabase target)
    {
        var documents = source.Collection(this).All();
        target.InTransaction(() => target.Collection(this).UpsertMany(documents));
        return documents.Count;
    }
}

/// <summary>Documents of one kind. Field paths are property names, dotted for nested ones (<c>Assignment.AadObjectId</c>).</summary>
public interface IDocumentCollection<T> where T : class
{
    T? Find(string id);

    bool Exists(string id);

    IReadOnlyList<T> All();

    /// <summary>Documents whose field equals <paramref name="value"/> (strings, booleans and enums compare as stored).</summary>
    IReadOnlyList<T> Where<TValue>(Expression<Func<T, TValue>> field, TValue value);

    /// <summary>Documents whose field equals any of <paramref name="values"/>.</summary>
    IReadOnlyList<T> WhereIn<TValue>(Expression<Func<T, TValue>> field, IReadOnlyCollection<TValue> values);

    /// <summary>The <paramref name="count"/> documents with the greatest <paramref name="orderBy"/> (newest first for times), optionally only those whose <paramref name="filterField"/> equals <paramref name="filterValue"/>.</summary>
    IReadOnlyList<T> Top<TOrder>(Expression<Func<T, TOrder>> orderBy, int count, Expression<Func<T, string?>>? filterField = null, string? filterValue = null);

    int Count();

    /// <summary>Inserts or replaces the document with the same id.</summary>
    void Upsert(T document);

    void UpsertMany(IEnumerable<T> documents);

    /// <summary>Inserts the document unless one with its id exists; false when it exists (nothing is written).</summary>
    bool TryInsert(T document);

    bool Delete(string id);

    int DeleteAll();

    /// <summary>Deletes the documents whose time field is before <paramref name="cutoff"/>.</summary>
    int DeleteBefore(Expression<Func<T, DateTimeOffset>> field, DateTimeOffset cutoff);
}

/// <summary>Turns <c>x =&gt; x.Assignment.AadObjectId</c> into the dotted field path <c>Assignment.AadObjectId</c>.</summary>
public static class FieldPath
{
    public static string Of(LambdaExpression field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var names = new Stack<string>();
        var body = field.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } conversion) body = conversion.Operand;
        while (body is MemberExpression member)
        {
            names.Push(member.Member.Name);
            body = member.Expression!;
        }
        if (body is not ParameterExpression || names.Count == 0)
            throw new ArgumentException($"'{field}' is not a property path like x => x.A.B.", nameof(field));
        return string.Join('.', names);
    }
}
