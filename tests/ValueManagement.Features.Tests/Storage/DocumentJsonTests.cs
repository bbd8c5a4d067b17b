using System.Text.Json;
using LiteDB;
using ValueManagement.Core.Submissions;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage.PostgreSql;

namespace ValueManagement.Features.Tests.Storage;

public sealed class DocumentJsonTests
{
    [Fact]
    public void Serialize_Time_WritesUtcWithSevenFractionDigits()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new DateTimeOffset(2026, 11, 30, 10, 5, 0, TimeSpan.FromHours(1)), DocumentJson.Options);

        Assert.Equal("\"2026-11-30T09:05:00.0000000Z\"", json);
    }

    [Fact]
    public void TextOf_TimesInOrder_AreInTextOrder()
    {
        var at = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        DateTimeOffset[] times = [at.AddTicks(-1), at, at.AddMilliseconds(1), at.AddSeconds(1), new DateTimeOffset(2026, 11, 30, 11, 0, 1, TimeSpan.FromHours(2))];

        var texts = times.Select(t => DocumentJson.TextOf(t)!).ToList();

        Assert.Equal(texts.Order(StringComparer.Ordinal), texts);
    }

    [Fact]
    public void TextOf_EnumsAndBooleans_AreTheirStoredText()
    {
        Assert.Equal("Sent", DocumentJson.TextOf(DocumentDatabaseContractTests.SendState.Sent));
        Assert.Equal("true", DocumentJson.TextOf(true));
        Assert.Equal("false", DocumentJson.TextOf(false));
        Assert.Equal("42", DocumentJson.TextOf(42));
        Assert.Null(DocumentJson.TextOf<string?>(null));
    }

    [Fact]
    public void RoundTrip_AuditEntry_KeepsObjectIdAsHexAndEveryField()
    {
        var entry = new AuditEntry
        {
            Id = ObjectId.NewObjectId(),
            At = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero),
            ActorId = "aad-1",
            ActorName = "Ann",
            Subject = "submission",
            SubjectId = "ward-7|2026-W48",
            Action = "submitted",
            Changes = [new AuditChange("falls", null, "2")],
            TeamId = "ward-7",
        };

        var json = System.Text.Json.JsonSerializer.Serialize(entry, DocumentJson.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<AuditEntry>(json, DocumentJson.Options)!;

        Assert.Contains($"\"Id\":\"{entry.Id}\"", json, StringComparison.Ordinal);
        Assert.Equivalent(entry, back, strict: true);
        Assert.Equal(entry.Id, back.Id);
    }

    [Fact]
    public void RoundTrip_PositionalRecordWithDictionary_KeepsValues()
    {
        var revision = new SubmissionRevision(2, new Dictionary<string, double?> { ["falls"] = 1.5, ["beds"] = null }, "quiet", new Submitter("aad-1", "Ann"),
            new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), 1, [new MeasureChange("falls", 1, 1.5)]);

        var back = System.Text.Json.JsonSerializer.Deserialize<SubmissionRevision>(System.Text.Json.JsonSerializer.Serialize(revision, DocumentJson.Options), DocumentJson.Options)!;

        Assert.Equivalent(revision, back, strict: true);
    }

    [Fact]
    public void Serialize_BsonIgnoredProperty_IsLeftOut()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(new WithIgnored { Id = "a" }, DocumentJson.Options);

        Assert.Equal("""{"Id":"a"}""", json);
    }

    [Fact]
    public void Deserialize_NotAnObjectId_SaysSo()
    {
        var thrown = Assert.Throws<JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<AuditEntry>("""{"Id":"nope","At":"2026-11-30T09:00:00.0000000Z","ActorId":"a","ActorName":"a","Subject":"s","SubjectId":"s","Action":"a"}""", DocumentJson.Options));

        Assert.Contains("object id", thrown.Message, StringComparison.Ordinal);
    }

    public sealed class WithIgnored
    {
        public required string Id { get; init; }

        [BsonIgnore]
        public string Computed => throw new InvalidOperationException("never read");
    }
}
