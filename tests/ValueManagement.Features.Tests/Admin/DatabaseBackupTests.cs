using LiteDB;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Tests.Admin;

public sealed class DatabaseBackupTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// Why the backup pins every snapshot first: LiteDB 5 gives a transaction its snapshot of a
    /// collection when it first reads it, so a commit between two reads shows in the second.
    /// </summary>
    [Fact]
    public void LiteDb_ReadTransaction_SnapshotsEachCollectionWhenFirstRead()
    {
        using var database = new VmDatabase(_folder.File("data.db"));
        var db = database.Database;
        db.GetCollection("a").Insert(new BsonDocument { ["n"] = 1 });
        db.GetCollection("b").Insert(new BsonDocument { ["n"] = 1 });
        var (aBefore, aAfter, bAfter) = (0, 0, 0);

        var reader = new Thread(() =>
        {
            db.BeginTrans();
            aBefore = db.GetCollection("a").Count();
            var writer = new Thread(() =>
            {
                db.BeginTrans();
                db.GetCollection("a").Insert(new BsonDocument { ["n"] = 2 });
                db.GetCollection("b").Insert(new BsonDocument { ["n"] = 2 });
                db.Commit();
            });
            writer.Start();
            writer.Join();
            aAfter = db.GetCollection("a").Count();
            bAfter = db.GetCollection("b").Count();
            db.Rollback();
        });
        reader.Start();
        reader.Join();

        Assert.Equal((1, 1, 2), (aBefore, aAfter, bAfter));
    }

    [Fact]
    public void WriteTo_CopiesEveryCollectionWithItsIndexes_AndLeavesOneFile()
    {
        var path = _folder.File("data.db");
        using var database = new VmDatabase(path);
        DemoData.Load(database, _time);
        var target = _folder.File("copy/backup.db");

        var result = new DatabaseBackup(database, _time).WriteTo(target);

        Assert.Equal(Path.GetFullPath(target), result.Path);
        Assert.Equal(["backup.db"], Directory.GetFiles(_folder.File("copy")).Select(Path.GetFileName));
        using var copy = new VmDatabase(target);
        foreach (var name in database.Database.GetCollectionNames())
        {
            Assert.Equal(
                database.Database.GetCollection(name).FindAll().Select(d => d.ToString()).Order(StringComparer.Ordinal),
                copy.Database.GetCollection(name).FindAll().Select(d => d.ToString()).Order(StringComparer.Ordinal));
        }
        Assert.Equal(Indexes(database.Database), Indexes(copy.Database));
        Assert.Equal(database.Database.GetCollectionNames().Count(), result.Collections);
        Assert.True(result.Documents > 600);
    }

    [Fact]
    public void WriteTo_AnExistingFile_IsRefused()
    {
        using var database = new VmDatabase(_folder.File("data.db"));
        File.WriteAllText(_folder.File("backup.db"), "keep me");

        Assert.Throws<IOException>(() => new DatabaseBackup(database, _time).WriteTo(_folder.File("backup.db")));
        Assert.Equal("keep me", File.ReadAllText(_folder.File("backup.db")));
    }

    [Fact]
    public void WriteToBackupsFolder_NamesTheFileAfterTheDataFileAndTheTime()
    {
        using var database = new VmDatabase(_folder.File("valuemanagement.db"));
        var backup = new DatabaseBackup(database, _time);

        var first = backup.WriteToBackupsFolder();
        var second = backup.WriteToBackupsFolder();

        Assert.Equal(_folder.File("backups/valuemanagement-20261130T091500Z.db"), first.Path);
        Assert.Equal(_folder.File("backups/valuemanagement-20261130T091500Z-2.db"), second.Path);
    }

    [Fact]
    public void WriteToBackupsFolder_OfAnInMemoryDatabase_SaysThereIsNoFolder()
    {
        using var database = new VmDatabase(new MemoryStream());

        Assert.Throws<InvalidOperationException>(() => new DatabaseBackup(database, _time).WriteToBackupsFolder());
    }

    [Fact]
    public void Backup_WhenTheDataIsInPostgreSql_IsRefusedWithWhatToUseInstead()
    {
        // Never connected: the refusal comes before any work.
        using var database = new ValueManagement.Features.Storage.PostgreSql.PostgreSqlDocumentDatabase("Host=127.0.0.1;Database=vm");
        var backup = new DatabaseBackup(database, _time);

        Assert.Equal(DatabaseBackup.PostgreSqlAdvice, Assert.Throws<InvalidOperationException>(() => backup.WriteToBackupsFolder()).Message);
        Assert.Equal(DatabaseBackup.PostgreSqlAdvice, Assert.Throws<InvalidOperationException>(() => backup.WriteTo(_folder.File("copy.db"))).Message);
        Assert.False(File.Exists(_folder.File("copy.db")));
    }

    [Fact]
    public async Task WriteTo_DuringABurstOfSubmissions_GivesConsistentCopies()
    {
        const int Submissions = 1500;
        using var database = new VmDatabase(_folder.File("data.db"));
        var store = new SubmissionStore(database, new AuditLog(database), TimeProvider.System);
        var backup = new DatabaseBackup(database, _time);
        var written = 0;
        // On a busy two-core machine the writer can finish before a copy starts; half-way it waits
        // for one copy taken mid-burst so the test always checks a copy of a database being written.
        using var copiedMidBurst = new ManualResetEventSlim();

        var writer = Task.Run(() =>
        {
            for (var i = 0; i < Submissions; i++)
            {
                if (i == Submissions / 2)
                    copiedMidBurst.Wait(TimeSpan.FromSeconds(60));
                var team = $"team-{i % 7}";
                var week = new IsoWeek(2026, 1 + i % 40);
                var current = store.Load(team, week);
                store.Submit(team, week, new SubmissionProposal(
                    new Dictionary<string, double?> { ["falls"] = i % 9, ["bankHours"] = i }, null,
                    new Submitter($"nurse-{i % 3}", "Nurse"), current.LatestRevisionNumber), "burst");
                Interlocked.Increment(ref written);
            }
        });

        var copies = new List<(string Path, int WrittenBefore)>();
        while (!writer.IsCompleted && copies.Count < 40)
        {
            var before = Volatile.Read(ref written);
            var path = _folder.File($"backup-{copies.Count}.db");
            await Task.Run(() => backup.WriteTo(path));
            copies.Add((path, before));
            if (before > 0)
                copiedMidBurst.Set();
        }
        await writer;

        Assert.Contains(copies, c => c.WrittenBefore is > 0 and < Submissions);
        foreach (var (path, before) in copies)
        {
            using var copy = new VmDatabase(path);
            var weeks = copy.Database.GetCollection(Collections.Submissions).FindAll().ToList();
            var revisions = weeks.ToDictionary(w => w["_id"].AsString, w => w["Revisions"].AsArray.Count);
            var audited = copy.Database.GetCollection(Collections.Audit).Find(Query.EQ("Subject", "submission")).ToList()
                .GroupBy(e => e["SubjectId"].AsString)
                .ToDictionary(g => g.Key, g => g.Count());

            // Every revision has its audit entry and every audit entry its revision: one moment, not two.
            Assert.Equal(revisions.OrderBy(p => p.Key), audited.OrderBy(p => p.Key));
            Assert.InRange(revisions.Values.Sum(), before, Submissions);
            foreach (var week in weeks)
                Assert.Equal(Enumerable.Range(1, week["Revisions"].AsArray.Count), week["Revisions"].AsArray.Select(r => r["Number"].AsInt32));
        }
    }

    private static List<string> Indexes(LiteDatabase db)
    {
        using var reader = db.Execute("SELECT $ FROM $indexes");
        var indexes = new List<string>();
        while (reader.Read()) indexes.Add($"{reader.Current["collection"].AsString}.{reader.Current["name"].AsString}={reader.Current["expression"].AsString}");
        return indexes.Order(StringComparer.Ordinal).ToList();
    }
}
