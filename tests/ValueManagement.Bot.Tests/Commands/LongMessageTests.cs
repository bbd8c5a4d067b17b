using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Storage;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Commands;

/// <summary>
/// Long text costs no more than short text: a message longer than any command is answered at once, before it is
/// parsed, and team and person resolution read the directory once however many words follow. The work is counted
/// (reads of the teams and roles), not timed.
/// </summary>
public sealed class LongMessageTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private const string Person = "cccccccc-0000-4000-8000-000000000002";

    /// <summary>The longest command text read (<c>MessageText.MaxCommandLength</c>).</summary>
    private const int LongestCommand = 2000;

    private static string Words(int characters)
    {
        string[] words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"];
        var text = new StringBuilder();
        for (var i = 0; text.Length < characters; i++) text.Append(words[i % words.Length]).Append(' ');
        return text.ToString(0, characters).Trim();
    }

    private BotTestHost StartCountingHost(DocumentReads reads) => environment.StartHost(configureServices: services =>
    {
        var real = services.Last(d => d.ServiceType == typeof(IDocumentDatabase));
        services.Remove(real);
        services.AddSingleton<IDocumentDatabase>(provider => new CountingDatabase((IDocumentDatabase)real.ImplementationFactory!(provider), reads));
    });

    [Theory]
    [InlineData(900 * 1024)]
    [InlineData(25 * 1024)]
    [InlineData(LongestCommand + 10)]
    public async Task TextLongerThanAnyCommand_IsAnsweredAtOnce_WithoutReadingTheDirectory(int length)
    {
        var reads = new DocumentReads();
        await using var host = StartCountingHost(reads);
        TestOrganisation.Seed(host);
        reads.Clear();

        host.Cloud.ClearCalls();
        using var response = await host.SendAsync(host.Activities.Personal("report " + Words(length), TestUser.NurseJones));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.StartsWith("That message is too long for a command", reply.Body?["text"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, reads.Of(Collections.Teams));
    }

    [Theory]
    [InlineData("report {0}")]
    [InlineData("schedule {0} prompt tue 08:30")]
    [InlineData("pdsa {0} add Safety huddle")]
    [InlineData("member add {0} " + Person)]
    [InlineData("member add ward 7 {0}")]
    [InlineData("manager add service {0} " + Person)]
    public async Task ResolvingTeamsAndPeople_ReadsTheDirectoryAsOftenForLongTextAsForShort(string command)
    {
        var reads = new DocumentReads();
        await using var host = StartCountingHost(reads);
        TestOrganisation.Seed(host);

        async Task<(int Teams, int Roles, int Services)> CountAsync(string words)
        {
            host.Cloud.ClearCalls();
            reads.Clear();
            await host.SendAsync(host.Activities.Personal(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, words), TestUser.AdminGrant));
            await host.Cloud.WaitForCallsAsync(1);
            return (reads.Of(Collections.Teams), reads.Of(Collections.Roles), reads.Of(Collections.Services));
        }

        var few = await CountAsync(Words(20));
        // Just within the longest command: hundreds of words, each of which could start or end a team or a name.
        var many = await CountAsync(Words(LongestCommand - 60));

        Assert.Equal(few, many);
        Assert.True(many.Teams <= 3, $"{many.Teams} reads of every team");
    }
}

/// <summary>How many times each collection was read in full (All) or searched (Where, Find), by collection name.</summary>
public sealed class DocumentReads
{
    private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.Ordinal);

    public void Add(string collection) => _reads.AddOrUpdate(collection, 1, (_, n) => n + 1);

    public int Of(string collection) => _reads.GetValueOrDefault(collection);

    public void Clear() => _reads.Clear();
}

/// <summary>The real database, counting the reads of each collection.</summary>
internal sealed class CountingDatabase(IDocumentDatabase inner, DocumentReads reads) : IDocumentDatabase
{
    public string Description => inner.Description;

    public IDocumentCollection<T> Collection<T>(DocumentCollection<T> collection) where T : class =>
        new CountingCollection<T>(inner.Collection(collection), () => reads.Add(collection.Name));

    public TResult InTransaction<TResult>(Func<TResult> work) => inner.InTransaction(work);

    public void LockKey(string key) => inner.LockKey(key);

    public bool IsAvailable() => inner.IsAvailable();

    public void Compact(IReadOnlyCollection<string> collectionNames) => inner.Compact(collectionNames);

    private sealed class CountingCollection<T>(IDocumentCollection<T> inner, Action read) : IDocumentCollection<T> where T : class
    {
        public T? Find(string id) { read(); return inner.Find(id); }
        public bool Exists(string id) => inner.Exists(id);
        public IReadOnlyList<T> All() { read(); return inner.All(); }
        public IReadOnlyList<T> Where<TValue>(Expression<Func<T, TValue>> field, TValue value) { read(); return inner.Where(field, value); }
        public IReadOnlyList<T> WhereIn<TValue>(Expression<Func<T, TValue>> field, IReadOnlyCollection<TValue> values) { read(); return inner.WhereIn(field, values); }
        public IReadOnlyList<T> Top<TOrder>(Expression<Func<T, TOrder>> orderBy, int count, Expression<Func<T, string?>>? filterField = null, string? filterValue = null) => inner.Top(orderBy, count, filterField, filterValue);
        public int Count() => inner.Count();
        public void Upsert(T document) => inner.Upsert(document);
        public void UpsertMany(IEnumerable<T> documents) => inner.UpsertMany(documents);
        public bool TryInsert(T document) => inner.TryInsert(document);
        public bool Delete(string id) => inner.Delete(id);
        public int DeleteAll() => inner.DeleteAll();
        public int DeleteBefore(Expression<Func<T, DateTimeOffset>> field, DateTimeOffset cutoff) => inner.DeleteBefore(field, cutoff);
    }
}
