using System.Globalization;
using LiteDB;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Admin;

/// <summary>A backup that was written: where, how big, what it holds.</summary>
/// <param name="Attempts">How many times the snapshot had to be taken (more than one when writes landed while it was being pinned).</param>
public sealed record BackupResult(string Path, long Bytes, int Collections, long Documents, int Attempts);

/// <summary>
/// A consistent copy of the data file while the bot keeps writing to it: every collection as it was
/// at one moment, written to a new LiteDB file.
/// </summary>
/// <remarks>
/// <para>
/// Why a snapshot copy and not "checkpoint, then copy the file": LiteDB 5 has no public way to hold
/// its exclusive lock while something else reads the file, and an automatic checkpoint (after a
/// commit that fills the log) writes into the data file at any time, so a byte copy taken while the
/// bot writes can be torn. A read transaction, on the other hand, keeps what it has read stable.
/// </para>
/// <para>
/// But LiteDB 5 gives a transaction its snapshot of a collection when the transaction first reads
/// that collection, not when it begins (a test shows it), so reading collection after collection
/// could mix moments: a submission from after a commit with an audit trail from before it. The copy
/// therefore first opens a snapshot of every collection, reading the engine's commit counter
/// (<c>$database.currentReadVersion</c>) before and after. If no commit landed in between, every
/// snapshot is of the same moment and the collections are copied from them; otherwise it lets go
/// and tries again. Opening the snapshots takes microseconds, so a retry is rare even under load.
/// </para>
/// <para>
/// The copy is written under a temporary name beside the target and renamed when complete, with
/// the same collation, indexes and user version, so it opens as the data file itself would.
/// </para>
/// </remarks>
public sealed class DatabaseBackup(IDocumentDatabase storage, TimeProvider time)
{
    public const int MaxAttempts = 100;

    /// <summary>What to do instead when the data is in PostgreSQL, which this backup cannot copy.</summary>
    public const string PostgreSqlAdvice =
        "The data is in PostgreSQL (Storage:Provider), and vm backup copies a LiteDB data file only: back the database up with PostgreSQL's own tools, e.g. pg_dump --format=custom --file=vm.dump <database>.";

    private VmDatabase LiteDbFile => storage as VmDatabase ?? throw new InvalidOperationException(PostgreSqlAdvice);

    /// <summary>Where <see cref="WriteToBackupsFolder"/> writes: <c>backups</c> beside the data file.</summary>
    public string BackupsFolder => LiteDbFile.Path == ":memory:"
        ? throw new InvalidOperationException("The data file is in memory: there is no folder to write a backup to.")
        : Path.Combine(Path.GetDirectoryName(LiteDbFile.Path)!, "backups");

    /// <summary>Writes a backup to the backups folder, named after the data file and the time (UTC).</summary>
    public BackupResult WriteToBackupsFolder()
    {
        var folder = BackupsFolder;
        Directory.CreateDirectory(folder);
        var stem = $"{Path.GetFileNameWithoutExtension(LiteDbFile.Path)}-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var target = Path.Combine(folder, stem + ".db");
        for (var n = 2; File.Exists(target); n++) target = Path.Combine(folder, $"{stem}-{n}.db");
        return WriteTo(target);
    }

    /// <summary>Writes a consistent copy to <paramref name="targetPath"/>, which must not exist yet.</summary>
    /// <remarks>Runs on the calling thread from start to end (LiteDB ties a transaction to its thread); the thread must not be in a transaction already.</remarks>
    /// <exception cref="IOException">The target exists.</exception>
    /// <exception cref="TimeoutException">Commits kept landing while the snapshot was being taken, <see cref="MaxAttempts"/> times.</exception>
    public BackupResult WriteTo(string targetPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPath);
        var target = Path.GetFullPath(targetPath);
        if (File.Exists(target)) throw new IOException($"{target} already exists: a backup never overwrites a file.");
        if (string.Equals(target, LiteDbFile.Path, StringComparison.Ordinal)) throw new IOException("The backup cannot be the data file itself.");
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);

        var db = LiteDbFile.Database;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (!db.BeginTrans()) throw new InvalidOperationException("A backup cannot be taken inside another transaction.");
            var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
            try
            {
                var before = CommitCounter(db);
                var names = db.GetCollectionNames().Order(StringComparer.Ordinal).ToList();
                foreach (var name in names) _ = db.GetCollection(name).Query().Limit(1).FirstOrDefault();
                var after = CommitCounter(db);
                if (before != after || !names.SequenceEqual(db.GetCollectionNames().Order(StringComparer.Ordinal)))
                {
                    db.Rollback();
                    Thread.Sleep(Random.Shared.Next(1, 5 + attempt));
                    continue;
                }

                long documents = 0;
                var indexes = Query(db, "SELECT $ FROM $indexes")
                    .Where(i => i["name"].AsString != "_id")
                    .Select(i => (Collection: i["collection"].AsString, Name: i["name"].AsString, Expression: i["expression"].AsString, Unique: i["unique"].AsBoolean))
                    .ToList();
                var connection = new ConnectionString
                {
                    Filename = temporary,
                    Connection = ConnectionType.Direct,
                    Collation = new Collation(db.Pragma("COLLATION").AsString),
                };
                using (var copy = new LiteDatabase(connection))
                {
                    copy.UserVersion = db.UserVersion;
                    foreach (var name in names)
                    {
                        var collection = copy.GetCollection(name);
                        documents += collection.InsertBulk(db.GetCollection(name).FindAll());
                        foreach (var index in indexes.Where(i => i.Collection == name))
                            collection.EnsureIndex(index.Name, BsonExpression.Create(index.Expression), index.Unique);
                    }
                    copy.Checkpoint();
                }
                db.Rollback();
                File.Move(temporary, target);
                return new BackupResult(target, new FileInfo(target).Length, names.Count, documents, attempt);
            }
            catch
            {
                db.Rollback();
                DeleteQuietly(temporary);
                throw;
            }
        }
        throw new TimeoutException($"The data file kept changing while the backup was being taken ({MaxAttempts} attempts); try again.");
    }

    /// <summary>LiteDB's count of committed transactions, which a snapshot records when it is opened.</summary>
    private static long CommitCounter(LiteDatabase db) =>
        Query(db, "SELECT $ FROM $database").Single()["currentReadVersion"] is { IsNumber: true } version
            ? version.AsInt64
            : throw new InvalidOperationException("LiteDB did not report $database.currentReadVersion.");

    private static List<BsonDocument> Query(LiteDatabase db, string sql)
    {
        using var reader = db.Execute(sql);
        var documents = new List<BsonDocument>();
        while (reader.Read()) documents.Add(reader.Current.AsDocument);
        return documents;
    }

    private static void DeleteQuietly(string path)
    {
        foreach (var file in new[] { path, Path.ChangeExtension(path, null) + "-log" + Path.GetExtension(path) })
        {
            try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
