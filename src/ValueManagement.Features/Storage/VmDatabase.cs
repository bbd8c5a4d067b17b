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
/// <para>
/// After a failed write (disk full, file made read-only) LiteDB closes its engine and answers every
/// later call with that first exception, so the bot would stay broken after the disk has room again.
/// <see cref="Database"/> therefore checks, at most once per probe interval, that the engine still
/// answers, and opens the file afresh when it does not: LiteDB's recovery drops the unfinished
/// transaction from its log, so what was acknowledged stays and nothing half-written appears.
/// </para>
public sealed partial class VmDatabase : IDisposable
{
    private static readonly TimeSpan DefaultProbeInterval = TimeSpan.FromSeconds(1);

    private readonly FileStream? _writerLock;
    private readonly BsonMapper _mapper = CreateMapper();
    private readonly Func<BsonMapper, LiteDatabase>? _reopen;
    private readonly long _probeIntervalTicks;
    private readonly Lock _reopening = new();
    private volatile LiteDatabase _database;
    private Stream[] _openStreams = [];
    private long _nextProbe;
    private volatile LiteDatabase? _broken;

    /// <exception cref="DatabaseInUseException">Another <see cref="VmDatabase"/>, in this process or another, has the file open.</exception>
    public VmDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _writerLock = AcquireWriterLock(Path);
        var file = Path;
        _reopen = mapper => new LiteDatabase(new ConnectionString { Filename = file, Connection = ConnectionType.Direct }, mapper);
        _probeIntervalTicks = ToTimestampTicks(DefaultProbeInterval);
        try
        {
            _database = _reopen(_mapper);
            Migrations.Apply(_database);
        }
        catch
        {
            _database?.Dispose();
            _writerLock.Dispose();
            throw;
        }
    }

    /// <summary>A database on streams (in memory for tools and tests); it is not reopened after a failure.</summary>
    public VmDatabase(Stream stream, Stream? log = null)
    {
        Path = ":memory:";
        _database = new LiteDatabase(stream, _mapper, log);
        Migrations.Apply(_database);
    }

    /// <summary>
    /// A database on streams that <paramref name="open"/> makes afresh for each (re)opening: for tests
    /// that put the file on a simulated disk.
    /// </summary>
    public VmDatabase(string name, Func<(Stream Data, Stream Log)> open, TimeSpan probeInterval)
    {
        Path = name;
        _reopen = mapper =>
        {
            var (data, log) = open();
            // LiteDB leaves streams it was given open; these are ours to close with the engine.
            _openStreams = [data, log];
            return new LiteDatabase(data, mapper, log);
        };
        _probeIntervalTicks = ToTimestampTicks(probeInterval);
        _database = _reopen(_mapper);
        Migrations.Apply(_database);
    }

    public string Path { get; }

    /// <summary>The open database; opened afresh first if a failed write closed LiteDB's engine.</summary>
    public LiteDatabase Database
    {
        get
        {
            var current = _database;
            if (_reopen is null) return current;
            if (ReferenceEquals(current, _broken)) return Reopen(current);
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (now < Interlocked.Read(ref _nextProbe)) return current;
            Interlocked.Exchange(ref _nextProbe, now + _probeIntervalTicks);
            return Answers(current) ? current : Reopen(current);
        }
    }

    private static bool Answers(LiteDatabase database)
    {
        try
        {
            _ = database.GetCollectionNames().Take(1).Count();
            return true;
        }
        catch (Exception e) when (e is IOException or LiteException or ObjectDisposedException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private LiteDatabase Reopen(LiteDatabase failed)
    {
        lock (_reopening)
        {
            if (!ReferenceEquals(_database, failed)) return _database;
            Close(failed);
            try
            {
                var fresh = _reopen!(_mapper);
                Migrations.Apply(fresh);
                _database = fresh;
            }
            catch (Exception e) when (e is IOException or LiteException or UnauthorizedAccessException)
            {
                // Still no room (or still read-only): keep answering with the failure until the next probe.
            }
            return _database;
        }
    }

    private void Close(LiteDatabase database)
    {
        try
        {
            database.Dispose();
        }
        catch (Exception e) when (e is IOException or LiteException or ObjectDisposedException or UnauthorizedAccessException)
        {
            // A failed write closed the engine already, and closing it may fail the same way.
        }
        foreach (var stream in _openStreams) stream.Dispose();
        _openStreams = [];
    }

    private static long ToTimestampTicks(TimeSpan interval) =>
        (long)(interval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

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
        Close(_database);
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
