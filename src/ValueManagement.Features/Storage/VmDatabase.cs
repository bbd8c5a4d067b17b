using LiteDB;

namespace ValueManagement.Features.Storage;

/// <summary>
/// The one <see cref="LiteDatabase"/> for the data file, opened in direct (exclusive) mode: LiteDB
/// wants a single instance per file, and a file has a single writer. Collections are reached
/// through the typed stores, never by name elsewhere.
/// </summary>
public sealed class VmDatabase : IDisposable
{
    public VmDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        Database = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct }, CreateMapper());
        Migrations.Apply(Database);
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

    public ILiteCollection<T> Collection<T>(string name) => Database.GetCollection<T>(name);

    private static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper { EnumAsInteger = false, SerializeNullValues = false, TrimWhitespace = false, EmptyStringToNull = false };
        // LiteDB stores DateTime as local time by default; everything here is UTC with an offset.
        mapper.RegisterType<DateTimeOffset>(
            value => new BsonValue(value.UtcDateTime),
            bson => new DateTimeOffset(DateTime.SpecifyKind(bson.AsDateTime.ToUniversalTime(), DateTimeKind.Utc)));
        return mapper;
    }

    public void Dispose() => Database.Dispose();
}
