using LiteDB;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;

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

        AssertCompactEqualsHistory(_database, _submissions, "ward-7", "ward-8");
        Assert.Equal(40_000.5, _submissions.CurrentValues("ward-7")[^1].Values["payCost"]);
    }

    [Fact]
    public void Migration9_BackfillsAFileWrittenWithoutTheCompactCollection_AndIsIdempotent()
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
        // As a file from before step 9: no compact collection and schema version 8.
        older.Database.DropCollection(Collections.CurrentValues);
        SetSchemaVersion(older, 8);
        Assert.Empty(store.CurrentValues("ward-7"));
        older.Dispose();

        for (var run = 0; run < 2; run++)
        {
            using var reopened = new VmDatabase(file);
            Assert.Equal(Migrations.CurrentVersion, Migrations.ReadVersion(reopened.Database));
            var reopenedStore = new SubmissionStore(reopened, new AuditLog(reopened), _time);
            AssertCompactEqualsHistory(reopened, reopenedStore, "ward-7", "ward-8");
            Assert.Equal(2, reopenedStore.CurrentValues("ward-7").Count);
            Assert.Equal(3, reopened.Database.GetCollection(Collections.CurrentValues).Count());
            SetSchemaVersion(reopened, 8);
        }
    }

    private static void SetSchemaVersion(VmDatabase database, int version) =>
        database.Database.GetCollection("schema_info").Upsert(new BsonDocument { ["_id"] = "schema", ["Version"] = version, ["Description"] = "test" });

    private static void AssertCompactEqualsHistory(VmDatabase database, SubmissionStore store, params string[] teams)
    {
        var compact = database.Database.GetCollection(Collections.CurrentValues);
        foreach (var team in teams)
        {
            var history = store.History(team);
            var stored = compact.Find(Query.EQ("TeamId", team)).OrderBy(d => d["Week"].AsString, StringComparer.Ordinal).ToList();
            Assert.Equal(history.Select(w => w.Week.ToString()), stored.Select(d => d["Week"].AsString));
            for (var i = 0; i < history.Count; i++)
            {
                Assert.Equal(SubmissionStore.KeyFor(team, history[i].Week), stored[i]["_id"].AsString);
                var values = stored[i]["Values"].AsDocument.ToDictionary(v => v.Key, v => v.Value.IsNull ? (double?)null : v.Value.AsDouble);
                Assert.Equal(history[i].Current.OrderBy(v => v.Key, StringComparer.Ordinal), values.OrderBy(v => v.Key, StringComparer.Ordinal));
            }
            var read = store.CurrentValues(team);
            Assert.Equal(history.Select(w => w.Week), read.Select(w => w.Week));
        }
    }

    [Fact]
    public void CurrentValues_UnknownTeam_IsEmpty() => Assert.Empty(_submissions.CurrentValues("nobody"));
}
