using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Improvement;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Tests.Admin;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Tests.Improvement;

public sealed class TestOfChangeStoreTests : IDisposable
{
    private static readonly Actor Coach = new("coach-oid", "Casey Coach");
    private readonly TempFolder _folder = new();
    private readonly VmDatabase _database;
    private readonly AuditLog _audit;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly TestOfChangeStore _store;

    public TestOfChangeStoreTests()
    {
        _database = new VmDatabase(_folder.File("data.db"));
        _audit = new AuditLog(_database);
        _store = new TestOfChangeStore(_database, _audit, _time);
    }

    public void Dispose()
    {
        _database.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Add_NumbersFromP1_AndAudits()
    {
        var first = _store.Add("ward-7", "Safety huddle", "falls", Coach).Value!;
        var second = _store.Add("ward-8", "Bay tagging", null, Coach).Value!;

        Assert.Equal("P1", first.Id.ToString());
        Assert.Equal("P2", second.Id.ToString());
        var entry = Assert.Single(_audit.ForSubject(TestOfChangeStore.AuditSubject, "P1"));
        Assert.Equal(("add", "coach-oid", "ward-7"), (entry.Action, entry.ActorId, entry.TeamId));
        Assert.Equal(["P1"], _store.ForTeam("ward-7").Select(t => t.Id.ToString()));
    }

    [Fact]
    public void Add_ThirdTest_GetsP3_TheSecondIsKept()
    {
        _store.Add("ward-7", "Safety huddle", "falls", Coach);
        _store.Add("ward-7", "Bay tagging", null, Coach);

        var third = _store.Add("ward-7", "Bed rails at handover", null, Coach).Value!;

        Assert.Equal("P3", third.Id.ToString());
        Assert.Equal(["Safety huddle", "Bay tagging", "Bed rails at handover"], _store.ForTeam("ward-7").Select(t => t.Title));
    }

    [Fact]
    public void NotesAndStatus_RoundTripThroughTheFile()
    {
        var test = _store.Add("ward-7", "Safety huddle", "falls", Coach).Value!;
        _time.Advance(TimeSpan.FromDays(1));
        test = _store.AddNote(test, PdsaStage.Plan, "Huddle at 14:00 on weekdays", Coach).Value!;
        _time.Advance(TimeSpan.FromDays(14));
        _store.SetStatus(test, TestOfChangeStatus.Adopted, Coach);

        var stored = _store.Find(new TestOfChangeId(1))!;

        Assert.Equal(TestOfChangeStatus.Adopted, stored.Status);
        Assert.Equal(_time.GetUtcNow(), stored.StatusSince);
        var note = Assert.Single(stored.Notes);
        Assert.Equal((1, PdsaStage.Plan, "Huddle at 14:00 on weekdays", "coach-oid"), (note.Cycle, note.Stage, note.Text, note.By));
        Assert.Equal(["add", "cycle-note", "status"], _audit.ForSubject(TestOfChangeStore.AuditSubject, "P1").Select(e => e.Action));
    }

    [Fact]
    public void AddNote_WithChiNumber_RefusedAndNothingWritten()
    {
        var test = _store.Add("ward-7", "Safety huddle", null, Coach).Value!;
        var auditBefore = _audit.Count();

        var outcome = _store.AddNote(test, PdsaStage.Study, "Bed 4, 0101901232, fell", Coach);

        Assert.NotNull(outcome.Refusal);
        Assert.Empty(_store.Find(test.Id)!.Notes);
        Assert.Equal(auditBefore, _audit.Count());
    }

    [Fact]
    public void Add_MissingTitle_RefusedAndNothingWritten()
    {
        var outcome = _store.Add("ward-7", " ", null, Coach);

        Assert.NotNull(outcome.Refusal);
        Assert.Empty(_store.ForTeam("ward-7"));
        Assert.Equal(0, _audit.Count());
    }

    [Fact]
    public void Migration8_IndexesTeamId()
    {
        Assert.True(Migrations.CurrentVersion >= 4);
        Assert.Contains(_database.Database.GetCollection("$indexes").Find(LiteDB.Query.EQ("collection", Collections.TestsOfChange)), i => i["name"].AsString == "TeamId");
    }
}
