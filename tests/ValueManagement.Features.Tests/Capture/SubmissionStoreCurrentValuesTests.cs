using LiteDB;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Features.Tests.Capture;

/// <summary>The box score's fast read of a team's weeks gives exactly what the full history gives as current values.</summary>
public sealed class SubmissionStoreCurrentValuesTests : IDisposable
{
    private static readonly Submitter Nurse = new("11111111-1111-1111-1111-111111111111", "Sister Jones");
    private static readonly Submitter Finance = new("vm:finance", "Finance import");
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    private readonly VmDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly SubmissionStore _submissions;

    public SubmissionStoreCurrentValuesTests() => _submissions = new SubmissionStore(_database, new AuditLog(_database), _time);

    public void Dispose() => _database.Dispose();

    private void Submit(string team, IsoWeek week, Submitter by, params (string Key, double? Value)[] values)
    {
        var basedOn = _submissions.Load(team, week).LatestRevisionNumber;
        _submissions.Submit(team, week, new SubmissionProposal(values.ToDictionary(v => v.Key, v => v.Value), null, by, basedOn), "test");
        _time.Advance(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void CurrentValues_EqualHistoryCurrent_WithRevisionsNullsAndOtherTeams()
    {
        // Stored out of order, with later revisions overwriting, clearing (null) and adding values.
        Submit("ward-7", W47, Nurse, ("falls", 3), ("complaints", 1), ("sicknessAbsence", 4.25));
        Submit("ward-7", W47.AddWeeks(-2), Nurse, ("falls", 1));
        Submit("ward-7", W47, Finance, ("payCost", 40_000.5), ("nonPayCost", 3_850));
        Submit("ward-7", W47, Nurse, ("falls", 2), ("complaints", null));
        Submit("ward-7", W47.AddWeeks(-1), Nurse, ("falls", 0), ("sicknessAbsence", 1.0 / 3));
        Submit("ward-7", W47.AddWeeks(1), Nurse, ("falls", 5));
        Submit("ward-8", W47, Nurse, ("falls", 9));

        foreach (var to in new IsoWeek?[] { null, W47, W47.AddWeeks(-1) })
        {
            var expected = _submissions.History("ward-7", null, to);
            var actual = _submissions.CurrentValues("ward-7", to);

            Assert.Equal(expected.Select(w => w.Week), actual.Select(w => w.Week));
            for (var i = 0; i < expected.Count; i++)
                Assert.Equal(expected[i].Current.OrderBy(v => v.Key, StringComparer.Ordinal), actual[i].Values.OrderBy(v => v.Key, StringComparer.Ordinal));
        }

        var w47 = _submissions.CurrentValues("ward-7", W47)[^1].Values;
        Assert.Equal(2, w47["falls"]);
        Assert.Null(w47["complaints"]);
        Assert.Equal(40_000.5, w47["payCost"]);
    }

    [Fact]
    public void CompactCollection_AfterSubmitAmendAndImport_EqualsHistoryCurrent()
    {
        Submit("ward-7", W47, Nurse, ("falls", 3), ("complaints", 1));
        Submit("ward-7", W47, Nurse, ("falls", 2), ("complaints", null));
        _submissions.SubmitMany(
        [
            new SubmissionBatchItem("ward-7", W47, new SubmissionProposal(new Dictionary<string, double?> { ["payCost"] = 40_000.5 }, null, Finance, 2)),
            new SubmissionBatchItem("ward-7", W47.AddWeeks(-1), new SubmissionProposal(new Dictionary<string, double?> { ["payCost"] = 39_000 }, null, Finance, 0)),
            new SubmissionBatchItem("ward-8", W47, new SubmissionProposal(new Dictionary<string, double?> { ["falls"] = 9 }, null, Finance, 0)),
        ], "import");

        AssertTablesEqualHistory(_database, _submissions, "ward-7", "ward-8");
        Assert.Equal(40_000.5, _submissions.CurrentValues("ward-7")[^1].Values["payCost"]);
    }

    [Fact]
    public void AFileFromBeforeTheTables_GetsThemBuiltFromTheRevisions_AtTheFirstRead_AndMigration10DropsThePerWeekDocuments()
    {
        var file = new MemoryStream();
        var older = new VmDatabase(file);
        var store = new SubmissionStore(older, new AuditLog(older), _time);
        void Put(string team, IsoWeek week, params (string Key, double? Value)[] values) =>
            store.Submit(team, week, new SubmissionProposal(values.ToDictionary(v => v.Key, v => v.Value), null, Nurse, store.Load(team, week).LatestRevisionNumber), "test");
        Put("ward-7", W47, ("falls", 3), ("complaints", 1));
        Put("ward-7", W47, ("complaints", null), ("payCost", 12.5));
        Put("ward-7", W47.AddWeeks(-3), ("falls", 0));
        Put("ward-8", W47, ("falls", 9));
        // As a file from schema version 9: per-week current-values documents, no tables.
        older.Database.DropCollection(Collections.CurrentValuesByTeam);
        older.Database.GetCollection(Collections.CurrentValuesByWeek).Insert(new BsonDocument { ["_id"] = "ward-7|2026-W47", ["TeamId"] = "ward-7" });
        SetSchemaVersion(older, 9);
        older.Dispose();

        using var reopened = new VmDatabase(file);
        Assert.Equal(Migrations.CurrentVersion, Migrations.ReadVersion(reopened.Database));
        Assert.False(reopened.Database.CollectionExists(Collections.CurrentValuesByWeek));
        Assert.Equal(0, reopened.Database.GetCollection(Collections.CurrentValuesByTeam).Count());

        var reopenedStore = new SubmissionStore(reopened, new AuditLog(reopened), _time);
        AssertTablesEqualHistory(reopened, reopenedStore, "ward-7", "ward-8");
        Assert.Equal(2, reopened.Database.GetCollection(Collections.CurrentValuesByTeam).Count());
        Assert.Equal(2, reopenedStore.CurrentValues("ward-7").Count);

        // A submission after the build keeps the table and the revisions in step.
        reopenedStore.Submit("ward-7", W47.AddWeeks(-3), new SubmissionProposal(new Dictionary<string, double?> { ["falls"] = 4 }, null, Nurse, 1), "test");
        AssertTablesEqualHistory(reopened, reopenedStore, "ward-7");
    }

    [Fact]
    public void CurrentValues_OfATeamWithNoFigures_StoreNoTable()
    {
        Assert.Empty(_submissions.CurrentValues("ward-9"));
        Assert.Equal(0, _database.Database.GetCollection(Collections.CurrentValuesByTeam).Count());
    }

    [Fact]
    public void ATable_ReadsValuesBlanksAndAbsentKeysApart_AndSurvivesStoring()
    {
        var table = CurrentValuesTable.Empty("ward-7");
        table.Set(W47, new Dictionary<string, double?> { ["falls"] = 2, ["complaints"] = null });
        table.Set(W47.AddWeeks(-5), new Dictionary<string, double?> { ["payCost"] = -0.0, ["falls"] = 1e-300 });
        table.Set(W47, new Dictionary<string, double?> { ["falls"] = 3, ["complaints"] = null });

        var read = CurrentValuesTable.From(table.ToStored()).Read();
        Assert.Equal([W47.AddWeeks(-5), W47], read.Select(w => w.Week));
        Assert.Equal(new Dictionary<string, double?> { ["payCost"] = -0.0, ["falls"] = 1e-300 }.OrderBy(v => v.Key), read[0].Values.OrderBy(v => v.Key));
        Assert.False(read[0].Values.ContainsKey("complaints"));
        Assert.True(read[1].Values.TryGetValue("complaints", out var blank));
        Assert.Null(blank);
        Assert.Equal(2, read[1].Values.Count);
        Assert.Equal(3, read[1].Values["falls"]);
        Assert.Throws<KeyNotFoundException>(() => read[1].Values["payCost"]);
        Assert.Empty(CurrentValuesTable.From(table.ToStored()).Read(W47.AddWeeks(-6)));
    }

    [Fact]
    public void ADamagedTable_IsBuiltAgainFromTheRevisions()
    {
        Submit("ward-7", W47, Nurse, ("falls", 3), ("complaints", null));
        Submit("ward-7", W47.AddWeeks(-1), Nurse, ("falls", 1));
        _database.Collection(SubmissionStore.StoredCurrentValues).Upsert(new StoredCurrentValuesTable { Id = "ward-7", Weeks = ["2026-W47"], Keys = ["falls"], Values = [1, 2, 3] });

        AssertTablesEqualHistory(_database, _submissions, "ward-7");
        Assert.Equal(2, _submissions.CurrentValues("ward-7").Count);
    }

    [Fact]
    public void AStoredTableOfTheWrongSize_IsRefused()
    {
        var stored = CurrentValuesTable.Empty("ward-7").ToStored();
        stored.Weeks.Add("2026-W47");
        stored.Keys.Add("falls");
        Assert.Throws<InvalidDataException>(() => CurrentValuesTable.From(stored));

        var unordered = CurrentValuesTable.Empty("ward-7").ToStored();
        unordered.Weeks.AddRange(["2026-W47", "2026-W46"]);
        Assert.Throws<InvalidDataException>(() => CurrentValuesTable.From(unordered));
    }

    private static void SetSchemaVersion(VmDatabase database, int version) =>
        database.Database.GetCollection("schema_info").Upsert(new BsonDocument { ["_id"] = "schema", ["Version"] = version, ["Description"] = "test" });

    private static void AssertTablesEqualHistory(VmDatabase database, SubmissionStore store, params string[] teams)
    {
        foreach (var team in teams)
        {
            var history = store.History(team);
            Assert.Equal(history.Select(w => w.Week), store.CurrentValues(team).Select(w => w.Week));
            var stored = database.Collection(SubmissionStore.StoredCurrentValues).Find(team);
            Assert.NotNull(stored);
            var read = CurrentValuesTable.From(stored).Read();
            Assert.Equal(history.Select(w => w.Week), read.Select(w => w.Week));
            for (var i = 0; i < history.Count; i++)
                Assert.Equal(history[i].Current.OrderBy(v => v.Key, StringComparer.Ordinal), read[i].Values.OrderBy(v => v.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public void CurrentValuesOfManyTeams_EqualEachTeamsOwn_BuildingMissingAndDamagedTables()
    {
        Submit("ward-7", W47, Nurse, ("falls", 3), ("complaints", null));
        Submit("ward-7", W47.AddWeeks(-1), Nurse, ("falls", 1));
        Submit("ward-8", W47, Nurse, ("falls", 9));
        _database.Collection(SubmissionStore.StoredCurrentValues).Delete("ward-8");
        var damaged = _database.Collection(SubmissionStore.StoredCurrentValues).Find("ward-7")!;
        damaged.Values = damaged.Values[..^1];
        _database.Collection(SubmissionStore.StoredCurrentValues).Upsert(damaged);

        var many = _submissions.CurrentValues(["ward-7", "ward-8", "nobody"], W47);

        Assert.Equal(["nobody", "ward-7", "ward-8"], many.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(many["nobody"]);
        foreach (var team in new[] { "ward-7", "ward-8" })
        {
            var own = _submissions.CurrentValues(team, W47);
            Assert.Equal(own.Select(w => w.Week), many[team].Select(w => w.Week));
            Assert.Equal(own.Select(w => w.Values.OrderBy(v => v.Key, StringComparer.Ordinal).ToList()), many[team].Select(w => w.Values.OrderBy(v => v.Key, StringComparer.Ordinal).ToList()));
        }
        Assert.Equal(9, many["ward-8"][0].Values["falls"]);
    }

    [Fact]
    public void CurrentValues_UnknownTeam_IsEmpty() => Assert.Empty(_submissions.CurrentValues("nobody"));
}

/// <summary>The same read on PostgreSQL: the packed table survives <c>jsonb</c>, and a database from before the tables gets them built.</summary>
public sealed class SubmissionStoreCurrentValuesOnPostgreSqlTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private static readonly Submitter Nurse = new("11111111-1111-1111-1111-111111111111", "Sister Jones");
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");

    [SkippableFact]
    public void CurrentValues_EqualHistoryCurrent_AndAreRebuiltWhenTheTableIsMissing()
    {
        using var database = new PostgreSqlDocumentDatabase(fixture.RequireConnectionString());
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var store = new SubmissionStore(database, new AuditLog(database), time);
        void Put(IsoWeek week, params (string Key, double? Value)[] values) =>
            store.Submit("ward-7", week, new SubmissionProposal(values.ToDictionary(v => v.Key, v => v.Value), null, Nurse, store.Load("ward-7", week).LatestRevisionNumber), "test");
        Put(W47, ("falls", 3), ("complaints", 1), ("sicknessAbsence", 1.0 / 3));
        Put(W47.AddWeeks(-1), ("falls", 0));
        Put(W47, ("complaints", null), ("payCost", 40_000.5));

        void AssertEqualsHistory()
        {
            var history = store.History("ward-7");
            var read = store.CurrentValues("ward-7");
            Assert.Equal(history.Select(w => w.Week), read.Select(w => w.Week));
            for (var i = 0; i < history.Count; i++)
                Assert.Equal(history[i].Current.OrderBy(v => v.Key, StringComparer.Ordinal), read[i].Values.OrderBy(v => v.Key, StringComparer.Ordinal));
        }

        AssertEqualsHistory();
        database.Collection(SubmissionStore.StoredCurrentValues).Delete("ward-7");
        AssertEqualsHistory();
        Assert.True(database.Collection(SubmissionStore.StoredCurrentValues).Exists("ward-7"));
    }
}
