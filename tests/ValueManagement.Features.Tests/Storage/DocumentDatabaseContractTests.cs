using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Tests.Storage;

/// <summary>
/// What every engine behind <see cref="IDocumentDatabase"/> must do, the same for each: one subclass
/// per engine. Each test works in a collection of its own, so tests sharing a database do not meet.
/// </summary>
public abstract class DocumentDatabaseContractTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The engine under test (one per test class; skips the test when the engine cannot be had).</summary>
    protected abstract IDocumentDatabase Database { get; }

    /// <summary>Another handle on the same data: for PostgreSQL a second database object, as a second bot instance would have.</summary>
    protected abstract IDocumentDatabase SecondInstance { get; }

    [SkippableFact]
    public void Find_UnknownId_ReturnsNull()
    {
        var documents = NewCollection();

        Assert.Null(documents.Find("nope"));
        Assert.False(documents.Exists("nope"));
    }

    [SkippableFact]
    public void Upsert_NewDocument_FindReturnsEveryField()
    {
        var documents = NewCollection();
        var stored = Document("a") with
        {
            Assignment = new Assignment("aad-1", "Ann"),
            Tags = ["x", "y"],
            Values = new Dictionary<string, double?> { ["falls"] = 2.5, ["missing"] = null },
            Comment = "Ward 7 — “quiet” week",
            Score = 3.25,
        };

        documents.Upsert(stored);

        var found = documents.Find("a");
        Assert.NotNull(found);
        Assert.Equivalent(stored, found, strict: true);
        Assert.Equal(stored.At, found.At);
        Assert.True(documents.Exists("a"));
    }

    [SkippableFact]
    public void Upsert_ExistingId_ReplacesTheDocument()
    {
        var documents = NewCollection();
        documents.Upsert(Document("a") with { Number = 1 });

        documents.Upsert(Document("a") with { Number = 2, Comment = "second" });

        Assert.Equal(1, documents.Count());
        Assert.Equal(2, documents.Find("a")!.Number);
        Assert.Equal("second", documents.Find("a")!.Comment);
    }

    [SkippableFact]
    public void All_ReturnsEveryDocument()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("b"), Document("a"), Document("c")]);

        Assert.Equal(["a", "b", "c"], documents.All().Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(3, documents.Count());
    }

    [SkippableFact]
    public void Where_TopLevelString_ReturnsOnlyMatches()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("a", team: "ward-7"), Document("b", team: "ward-8"), Document("c", team: "ward-7")]);

        Assert.Equal(["a", "c"], Ids(documents.Where(d => d.TeamId, "ward-7")));
        Assert.Empty(documents.Where(d => d.TeamId, "Ward-7"));
    }

    [SkippableFact]
    public void Where_NestedField_ReturnsOnlyMatches()
    {
        var documents = NewCollection();
        documents.UpsertMany([
            Document("a") with { Assignment = new Assignment("aad-1", "Ann") },
            Document("b") with { Assignment = new Assignment("aad-2", "Bob") },
            Document("c"),
        ]);

        Assert.Equal(["b"], Ids(documents.Where(d => d.Assignment!.AadObjectId, "aad-2")));
    }

    [SkippableFact]
    public void Where_BooleanField_ComparesAsStored()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("a") with { Active = true }, Document("b") with { Active = false }, Document("c") with { Active = true }]);

        Assert.Equal(["a", "c"], Ids(documents.Where(d => d.Active, true)));
        Assert.Equal(["b"], Ids(documents.Where(d => d.Active, false)));
    }

    [SkippableFact]
    public void Where_EnumField_ComparesByValue()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("a") with { State = SendState.Sent }, Document("b") with { State = SendState.Failed }, Document("c") with { State = SendState.Sent }]);

        Assert.Equal(["a", "c"], Ids(documents.Where(d => d.State, SendState.Sent)));
        Assert.Empty(documents.Where(d => d.State, SendState.Pending));
    }

    [SkippableFact]
    public void WhereIn_SeveralValues_ReturnsDocumentsMatchingAny()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("a", team: "ward-7"), Document("b", team: "ward-8") with { State = SendState.Failed }, Document("c", team: "ward-9")]);

        Assert.Equal(["a", "c"], Ids(documents.WhereIn(d => d.TeamId, ["ward-7", "ward-9", "ward-10"])));
        Assert.Empty(documents.WhereIn(d => d.TeamId, Array.Empty<string>()));
        Assert.Equal(["b"], Ids(documents.WhereIn(d => d.State, [SendState.Failed])));
    }

    [SkippableFact]
    public void WhereAndWhereIn_OnTheId_ReturnExactlyThoseDocuments()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("ward-7"), Document("Ward-7b"), Document("ward-8"), Document("ward-9")]);

        Assert.Equal(["Ward-7b", "ward-9"], Ids(documents.WhereIn(d => d.Id, ["ward-9", "Ward-7b", "WARD-8", "nobody"])));
        Assert.Equal(["ward-7"], Ids(documents.Where(d => d.Id, "ward-7")));
        Assert.Empty(documents.Where(d => d.Id, "WARD-7"));
    }

    [SkippableFact]
    public void Top_ByTime_ReturnsNewestFirst()
    {
        var documents = NewCollection();
        documents.UpsertMany(Enumerable.Range(0, 5).Select(i => Document($"d{i}") with { At = Monday.AddMinutes(i * 7) }));

        var newest = documents.Top(d => d.At, 3);

        Assert.Equal(["d4", "d3", "d2"], newest.Select(d => d.Id));
    }

    [SkippableFact]
    public void Top_ByTimeAcrossOffsetsAndFractions_OrdersByInstant()
    {
        var documents = NewCollection();
        documents.UpsertMany([
            Document("whole") with { At = Monday },
            Document("later-fraction") with { At = Monday.AddMilliseconds(500) },
            Document("earlier-in-another-zone") with { At = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(2)) },
        ]);

        Assert.Equal(["later-fraction", "whole", "earlier-in-another-zone"], documents.Top(d => d.At, 10).Select(d => d.Id));
    }

    [SkippableFact]
    public void Top_WithFilter_ReturnsNewestOfMatchesOnly()
    {
        var documents = NewCollection();
        documents.UpsertMany([
            Document("a", team: "ward-7") with { At = Monday },
            Document("b", team: "ward-8") with { At = Monday.AddDays(1) },
            Document("c", team: "ward-7") with { At = Monday.AddDays(2) },
            Document("d", team: "ward-7") with { At = Monday.AddDays(-1) },
        ]);

        var newest = documents.Top(d => d.At, 2, d => d.TeamId, "ward-7");

        Assert.Equal(["c", "a"], newest.Select(d => d.Id));
    }

    [SkippableFact]
    public void Top_ByNumber_OrdersNumerically()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("nine") with { Number = 9 }, Document("ten") with { Number = 10 }, Document("two") with { Number = 2 }]);

        Assert.Equal(["ten", "nine"], documents.Top(d => d.Number, 2).Select(d => d.Id));
    }

    [SkippableFact]
    public void UpsertMany_MixOfNewAndExisting_StoresEach()
    {
        var documents = NewCollection();
        documents.Upsert(Document("a") with { Number = 1 });

        documents.UpsertMany([Document("a") with { Number = 2 }, Document("b") with { Number = 3 }]);
        documents.UpsertMany([]);

        Assert.Equal(2, documents.Count());
        Assert.Equal(2, documents.Find("a")!.Number);
        Assert.Equal(3, documents.Find("b")!.Number);
    }

    [SkippableFact]
    public void TryInsert_NewId_StoresIt_ExistingId_LeavesTheFirst()
    {
        var documents = NewCollection();

        Assert.True(documents.TryInsert(Document("claim") with { Comment = "first" }));
        Assert.False(documents.TryInsert(Document("claim") with { Comment = "second" }));

        Assert.Equal("first", documents.Find("claim")!.Comment);
        Assert.Equal(1, documents.Count());
    }

    [SkippableFact]
    public void Delete_ExistingAndMissing_SaysWhetherItDeleted()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("a"), Document("b")]);

        Assert.True(documents.Delete("a"));
        Assert.False(documents.Delete("a"));
        Assert.Equal(["b"], Ids(documents.All()));
    }

    [SkippableFact]
    public void DeleteAll_AnswersHowManyAndEmptiesTheCollection()
    {
        var documents = NewCollection();
        documents.UpsertMany([Document("a"), Document("b"), Document("c")]);

        Assert.Equal(3, documents.DeleteAll());
        Assert.Equal(0, documents.Count());
        Assert.Equal(0, documents.DeleteAll());
    }

    [SkippableFact]
    public void DeleteBefore_Cutoff_DeletesOnlyOlderDocuments()
    {
        var documents = NewCollection();
        documents.UpsertMany([
            Document("old") with { At = Monday.AddDays(-8) },
            Document("just-before") with { At = Monday.AddMilliseconds(-1) },
            Document("at-cutoff") with { At = Monday },
            Document("new") with { At = Monday.AddDays(1) },
        ]);

        Assert.Equal(2, documents.DeleteBefore(d => d.At, Monday));
        Assert.Equal(["at-cutoff", "new"], Ids(documents.All()));
    }

    [SkippableFact]
    public void InTransaction_Completes_CommitsEveryWrite()
    {
        var collection = NewDefinition();
        var documents = Database.Collection(collection);

        var answer = Database.InTransaction(() =>
        {
            documents.Upsert(Document("a"));
            documents.Upsert(Document("b"));
            return documents.Count();
        });

        Assert.Equal(2, answer);
        Assert.Equal(["a", "b"], Ids(SecondInstance.Collection(collection).All()));
    }

    [SkippableFact]
    public void InTransaction_Throws_WritesNothing()
    {
        var documents = NewCollection();
        documents.Upsert(Document("kept") with { Number = 1 });

        Assert.Throws<InvalidOperationException>(() => Database.InTransaction(() =>
        {
            documents.Upsert(Document("new"));
            documents.Upsert(Document("kept") with { Number = 99 });
            documents.Delete("kept");
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal(["kept"], Ids(documents.All()));
        Assert.Equal(1, documents.Find("kept")!.Number);
    }

    [SkippableFact]
    public void InTransaction_Nested_JoinsTheOuterTransaction()
    {
        var documents = NewCollection();

        Assert.Throws<InvalidOperationException>(() => Database.InTransaction(() =>
        {
            Database.InTransaction(() => documents.Upsert(Document("inner")));
            Assert.True(documents.Exists("inner"));
            throw new InvalidOperationException("outer fails after the inner one finished");
        }));

        Assert.False(documents.Exists("inner"));
    }

    [SkippableFact]
    public void LockKey_OutsideTransaction_Throws()
    {
        _ = NewCollection();

        Assert.Throws<InvalidOperationException>(() => Database.LockKey("team|week"));
    }

    [SkippableFact]
    public void LockKey_TwoInstancesIncrementingOneDocument_LosesNoUpdate()
    {
        const int IncrementsEach = 25;
        var collection = NewDefinition();
        var instances = new[] { Database, SecondInstance };
        instances[0].Collection(collection).Upsert(Document("counter") with { Number = 0 });

        var writers = instances.Select(instance => Task.Factory.StartNew(() =>
        {
            var documents = instance.Collection(collection);
            for (var i = 0; i < IncrementsEach; i++)
            {
                instance.InTransaction(() =>
                {
                    instance.LockKey("counter");
                    var current = documents.Find("counter")!;
                    Thread.Yield();
                    documents.Upsert(current with { Number = current.Number + 1 });
                });
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(writers);

        Assert.Equal(2 * IncrementsEach, Database.Collection(collection).Find("counter")!.Number);
    }

    [SkippableFact]
    public void LockKey_HeldByOneInstance_OtherWaitsUntilItCommits()
    {
        var (one, other) = (Database, SecondInstance);
        var collection = NewDefinition();
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var order = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var first = Task.Factory.StartNew(() => one.InTransaction(() =>
        {
            one.LockKey("ward-7|2026-W49");
            holding.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            one.Collection(collection).Upsert(Document("week") with { Comment = "first" });
            order.Enqueue("first commits");
        }), TaskCreationOptions.LongRunning);
        Assert.True(holding.Wait(TimeSpan.FromSeconds(30)), "The first writer never took the key.");
        var second = Task.Factory.StartNew(() => other.InTransaction(() =>
        {
            other.LockKey("ward-7|2026-W49");
            order.Enqueue("second holds");
            return other.Collection(collection).Find("week")?.Comment;
        }), TaskCreationOptions.LongRunning);

        Assert.False(second.Wait(TimeSpan.FromMilliseconds(300)), "The second writer took the key while the first held it.");
        release.Set();
        first.Wait();

        Assert.Equal("first", second.Result);
        Assert.Equal(["first commits", "second holds"], order);
    }

    [SkippableFact]
    public void IsAvailable_WorkingDatabase_AnswersTrue()
    {
        Assert.True(Database.IsAvailable());
        Assert.False(string.IsNullOrWhiteSpace(Database.Description));
    }

    private IDocumentCollection<ContractDocument> NewCollection() => Database.Collection(NewDefinition());

    private DocumentCollection<ContractDocument> NewDefinition() =>
        new DocumentCollection<ContractDocument>($"contract_{Guid.NewGuid():N}", d => d.Id,
            nameof(ContractDocument.TeamId), $"{nameof(ContractDocument.Assignment)}.{nameof(Assignment.AadObjectId)}", nameof(ContractDocument.At));

    private static string[] Ids(IEnumerable<ContractDocument> documents) => documents.Select(d => d.Id).Order(StringComparer.Ordinal).ToArray();

    private static ContractDocument Document(string id, string team = "ward-7") => new() { Id = id, TeamId = team, At = Monday };

    public enum SendState
    {
        Pending,
        Sent,
        Failed,
    }

    public sealed record Assignment(string AadObjectId, string Name);

    public sealed record ContractDocument
    {
        public required string Id { get; init; }
        public required string TeamId { get; init; }
        public Assignment? Assignment { get; init; }
        public bool Active { get; init; }
        public SendState State { get; init; }
        public DateTimeOffset At { get; init; }
        public int Number { get; init; }
        public double? Score { get; init; }
        public string? Comment { get; init; }
        // Concrete collection types, as every stored document uses: LiteDB cannot fill read-only interfaces.
        public List<string> Tags { get; init; } = [];
        public Dictionary<string, double?> Values { get; init; } = [];
    }
}
