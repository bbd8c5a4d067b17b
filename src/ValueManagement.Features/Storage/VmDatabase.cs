using LiteDB;

namespace ValueManagement.Features.Storage;

/// <summary>
/// The one <see cref="LiteDatabase"/> for the data file, opened in direct (exclusive) mode: LiteDB
/// wants a single instance per file, and a file has a single writer. Collections are reached
/// through the typed stores, never by name elsewhere.
/// </summary>
/// <remarks>
/// LiteDB's direct mode does not keep a second process out on Linux: .NET takes only shared
/// advisory locks for LiteDB's read handles and none for its writer, so a second
/// <see cref="LiteDatabase"/> on the same file opens and both write. The single writer is enforced
/// here instead, by an exclusive lock on <c>&lt;file&gt;.lock</c> beside the data file, taken before
/// LiteDB opens the file and released on <see cref="Dispose"/> (or by the operating system when
/// the process ends). The lock file is never deleted: deleting it would let two processes lock two
/// different files of the same name.
/// </remarks>
public sealed class VmDatabase : IDisposable
{
    private readonly FileStream? _writerLock;

    /// <exception cref="DatabaseInUseException">Another <see cref="VmDatabase"/>, in this process or another, has the file open.</exception>
    public VmDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _writerLock = AcquireWriterLock(Path);
        try
        {
            Database = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct }, CreateMapper());
            Migrations.Apply(Database);
        }
        catch
        {
            Database?.Dispose();
            _writerLock.Dispose();
            throw;
        }
    }

    /// <summary>An in-memory database for tests and tools.</summary>
    public VmDatabase(Stream stream)
    {
        Path = ":memory:";
        Database = new LiteDatabase(stream, CreateMapper());
        Migrations.Apply(Database);
    }

    public string Path { get; }
    public LiteDatabase Database { get; }

    public ILiteCollection<T> Collection<T>(string name)
    {
        EnsureMapped(typeof(T));
        return Database.GetCollection<T>(name);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<Type, bool> _mapped = new();
    private readonly Lock _mapping = new();

    // LiteDB 5.0.21 builds a type's mapping lazily and publishes it half-built, so two threads that
    // first meet a type at once can fail with "Collection was modified" (litedb-org/LiteDB#2565,
    // fixed only in unreleased versions). Build the whole graph of a document type once, under a
    // lock, before any thread uses it.
    private void EnsureMapped(Type type)
    {
        if (_mapped.ContainsKey(type)) return;
        lock (_mapping)
        {
            if (_mapped.ContainsKey(type)) return;
            MapGraph(type, []);
            _mapped[type] = true;
        }
    }

    private void MapGraph(Type type, HashSet<Type> seen)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(object)
            || typeof(BsonValue).IsAssignableFrom(type) || type == typeof(ObjectId) || type == typeof(byte[]))
            return;

        if (type.IsArray)
        {
            MapGraph(type.GetElementType()!, seen);
            return;
        }

        if (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type))
        {
            foreach (var argument in type.GetGenericArguments()) MapGraph(argument, seen);
            return;
        }

        if (type.IsAbstract || type.IsInterface) return;
        try
        {
            // Serialising an empty instance makes LiteDB build (and cache) the type's mapping.
            Database.Mapper.ToDocument(type, System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(type));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A computed property may throw on an empty instance; the mapping is built before values are read.
        }

        foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            MapGraph(property.PropertyType, seen);
    }

    private static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper { EnumAsInteger = false, SerializeNullValues = false, TrimWhitespace = false, EmptyStringToNull = false };
        // LiteDB stores DateTime as local time by default; everything here is UTC with an offset.
        mapper.RegisterType<DateTimeOffset>(
            value => new BsonValue(value.UtcDateTime),
            bson => new DateTimeOffset(DateTime.SpecifyKind(bson.AsDateTime.ToUniversalTime(), DateTimeKind.Utc)));
        return mapper;
    }

    public void Dispose()
    {
        Database.Dispose();
        _writerLock?.Dispose();
    }

    private static FileStream AcquireWriterLock(string path)
    {
        try
        {
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new DatabaseInUseException(path, e);
        }
    }
}

/// <summary>The data file is open in another <see cref="VmDatabase"/>: the running bot, or another <c>vm</c> command.</summary>
public sealed class DatabaseInUseException(string path, Exception inner)
    : IOException($"{path}.lock is held by another process: the running bot, or another vm command", inner)
{
    public string DatabasePath { get; } = path;
}
