using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Features.Audit;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Benchmarks;

/// <summary>
/// LiteDB on a temporary file holding a board of 1,000 teams on the 30-measure set with 156 weeks each, written
/// through the normal stores; the service path loads exactly what the roll-up and box-score commands load.
/// </summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const string FirstTeam = "team-1";
    private VmDatabase database = null!;
    private SubmissionStore submissions = null!;
    private AuditLog audit = null!;
    private BoxScoreService service = null!;
    private TeamProfile team = null!;
    private RollupScope board = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Writing 156,000 weeks through the stores takes minutes: the file is written once per process and every
        // benchmark of this class opens it. Writes (the audit append) go to it too, which reads do not notice.
        database = new VmDatabase(BoardFile.Value);
        audit = new AuditLog(database);
        var directory = new TeamDirectory(database, audit, TimeProvider.System);
        submissions = new SubmissionStore(database, audit, TimeProvider.System);
        service = new BoxScoreService(directory, new MeasureSetStore(database), submissions, AccessFor(directory, database), TimeProvider.System);
        team = directory.FindTeam(FirstTeam)!;
        board = new RollupScope(RoleScopeKind.Board, "board", "Highland");
    }

    internal static AccessPolicy AccessFor(TeamDirectory directory, IDocumentDatabase database)
    {
        var options = new FixedOptions<AccessOptions>(new AccessOptions());
        var conversations = new ConversationStore(database, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<ConversationStore>.Instance);
        return new AccessPolicy(directory, GroupMembershipCache.Off(options), conversations, options);
    }

    [GlobalCleanup]
    public void Cleanup() => database.Dispose();

    private static readonly Lazy<string> BoardFile = new(WriteBoard);

    /// <summary>
    /// Writes the board's file now when <paramref name="args"/> may select a storage benchmark: writing it takes
    /// longer than the in-process toolchain allows one benchmark (its setup included) to run.
    /// </summary>
    public static void PrepareFor(IReadOnlyList<string> args)
    {
        var filters = new List<string>();
        var index = args.ToList().IndexOf("--filter");
        for (var i = index + 1; index >= 0 && i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal); i++) filters.Add(args[i]);
        var name = typeof(StorageBenchmarks).FullName + "." + nameof(RollupService);
        if (filters.Count == 0 || filters.Any(f => System.Text.RegularExpressions.Regex.IsMatch(name, "^" + System.Text.RegularExpressions.Regex.Escape(f).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)))
        {
            Console.WriteLine("Writing the 1,000-team LiteDB file for the storage benchmarks…");
            _ = BoardFile.Value;
        }
    }

    private static string WriteBoard()
    {
        var file = Path.Combine(Path.GetTempPath(), $"vm-bench-{Guid.NewGuid():N}.db");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            File.Delete(file);
            File.Delete(file + ".lock");
        };
        WriteBoardTo(file);
        return file;
    }

    /// <summary>Writes the 1,000-team board through the normal stores into a new LiteDB file at <paramref name="file"/>.</summary>
    public static void WriteBoardTo(string file)
    {
        using var database = new VmDatabase(file);
        var audit = new AuditLog(database);
        var directory = new TeamDirectory(database, audit, TimeProvider.System);
        var measureSets = new MeasureSetStore(database);
        var submissions = new SubmissionStore(database, audit, TimeProvider.System);

        var actor = Actor.Tool("benchmark");
        var teams = BenchmarkData.Board();
        measureSets.ReplaceAll([BenchmarkData.ThirtyMeasures]);
        directory.ReplaceAll(
            [new Board("board", "Highland")],
            teams.Select(t => new Service(t.ServiceId, t.ServiceName, "board")).DistinctBy(s => s.Id).ToList(),
            teams.Select(t => new TeamProfile { Id = t.TeamId, Name = t.TeamName, ServiceId = t.ServiceId, MeasureSetId = BenchmarkData.ThirtyMeasures.Id }).ToList(),
            [],
            actor);
        var by = new Submitter(actor.Id, actor.Name);
        for (var w = 0; w < BenchmarkData.Weeks; w++)
        {
            submissions.SubmitMany(
                teams.Select(t => new SubmissionBatchItem(t.TeamId, t.History[w].Week, new SubmissionProposal(t.History[w].Values, null, by, 0))).ToList(),
                "benchmark");
        }
    }

    [Benchmark(Description = "LiteDB: one team's week")]
    public WeeklySubmission TeamWeek() => submissions.Load(FirstTeam, BenchmarkData.Week);

    [Benchmark(Description = "LiteDB: one team's 156 weeks")]
    public IReadOnlyList<WeeklySubmission> TeamHistory() => submissions.History(FirstTeam, null, BenchmarkData.Week);

    [Benchmark(Description = "LiteDB: one team's 156 weeks, current values only")]
    public IReadOnlyList<WeekValues> TeamCurrentValues() => submissions.CurrentValues(FirstTeam, BenchmarkData.Week);

    [Benchmark(Description = "LiteDB: audit append")]
    public void AuditAppend() => audit.Append(new AuditEntry
    {
        At = DateTimeOffset.UtcNow, ActorId = "vm:benchmark", ActorName = "benchmark", Subject = "submission",
        SubjectId = $"{FirstTeam}|{BenchmarkData.Week}", Action = "amend", TeamId = FirstTeam,
        Changes = [new AuditChange("falls", "2", "3")],
    });

    [Benchmark(Description = "Box score with signals, service path (LiteDB + computation)")]
    public BoxScore BoxScoreService() => service.Compute(team, BenchmarkData.Week);

    [Benchmark(Description = "Roll-up of 1,000 teams, service path (LiteDB + computation)")]
    public Rollup RollupService() => service.Rollup(board, BenchmarkData.Week);

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
