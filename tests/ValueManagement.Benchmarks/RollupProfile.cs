using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Features.Audit;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Benchmarks;

/// <summary>
/// A Stopwatch breakdown of the 1,000-team roll-up, piece by piece, so that the storage read and the rest of the
/// roll-up path can be told apart (BenchmarkDotNet times whole calls only). Run with
/// <c>dotnet run -c Release --project tests/ValueManagement.Benchmarks -- --profile-rollup [--board-file PATH]</c>;
/// with --board-file the LiteDB board is written once to PATH and reused by later runs; with --postgres CONNECTION-STRING
/// as well, what the roll-up reads (organisation, measure sets, current values) is copied once into that database and
/// the storage part timed there too. On a shared machine the CPU
/// time (all threads of the process, the least of the runs) and the bytes allocated say more than the wall-clock time.
/// </summary>
public static class RollupProfile
{
    public const string Switch = "--profile-rollup";
    private const string BoardFileSwitch = "--board-file";
    private const string PostgreSqlSwitch = "--postgres";
    private const int Repeats = 3;

    public static void Run(IReadOnlyList<string> args)
    {
        var board = BenchmarkData.Board();
        var week = BenchmarkData.Week;
        Console.WriteLine($"{board.Count} teams × {BenchmarkData.ThirtyMeasures.Measures.Count} measures × {BenchmarkData.Weeks} weeks, {Environment.ProcessorCount} cores");

        Time("computation: RollupCalculator.Compute (parallel)", () => RollupCalculator.Compute(board, week));
        Time("computation: rows one by one", () => board.Select(t => RollupCalculator.Row(t, week)).ToList());
        Time("computation: full box scores one by one", () => board.Select(t => BoxScoreCalculator.Compute(t.Measures, week, t.History)).ToList());
        Time("computation: measure columns only", () => board.Select(t => t.Measures.ComputeColumns(t.History.Select(h => h.Values).ToList())).ToList());

        var file = ValueOf(args, BoardFileSwitch);
        if (file is null)
        {
            Console.WriteLine($"(no {BoardFileSwitch}: the storage part is skipped)");
            return;
        }
        if (!File.Exists(file))
        {
            Console.WriteLine($"Writing the board to {file} (minutes)…");
            StorageBenchmarks.WriteBoardTo(file);
        }

        using var database = new VmDatabase(file);
        var audit = new AuditLog(database);
        var directory = new TeamDirectory(database, audit, TimeProvider.System);
        var submissions = new SubmissionStore(database, audit, TimeProvider.System);
        var measureSets = new MeasureSetStore(database);
        var service = new BoxScoreService(directory, measureSets, submissions,
            StorageBenchmarks.AccessFor(directory, database), TimeProvider.System);
        var scope = new RollupScope(RoleScopeKind.Board, "board", "Highland");
        var teams = directory.AllTeams();

        Time("storage: directory (services + teams)", () => (directory.AllServices(), directory.AllTeams()));
        Time("storage: measure set lookup per team", () => teams.Select(t => measureSets.Find(t.MeasureSetId)).ToList());
        Time("storage: current values per team (the data read)", () => teams.Select(t => submissions.CurrentValues(t.Id, week)).ToList());
        Time("service: BoxScoreService.Rollup (all of it)", () => service.Rollup(scope, week));

        if (ValueOf(args, PostgreSqlSwitch) is not { } connectionString) return;
        using var postgres = new PostgreSqlDocumentDatabase(connectionString);
        if (SubmissionStore.StoredCurrentValues.Count(postgres) < teams.Count)
        {
            Console.WriteLine($"Copying the board's organisation, measure sets and current values to {postgres.Description}…");
            foreach (var collection in ReadByTheRollup) collection.CopyTo(database, postgres);
        }
        var postgresAudit = new AuditLog(postgres);
        var postgresDirectory = new TeamDirectory(postgres, postgresAudit, TimeProvider.System);
        var postgresSubmissions = new SubmissionStore(postgres, postgresAudit, TimeProvider.System);
        var postgresService = new BoxScoreService(postgresDirectory, new MeasureSetStore(postgres), postgresSubmissions,
            StorageBenchmarks.AccessFor(postgresDirectory, postgres), TimeProvider.System);
        Time("PostgreSQL: current values per team (the data read)", () => teams.Select(t => postgresSubmissions.CurrentValues(t.Id, week)).ToList());
        Time("PostgreSQL: BoxScoreService.Rollup (all of it)", () => postgresService.Rollup(scope, week));
    }

    private static readonly IStoredCollection[] ReadByTheRollup =
    [
        TeamDirectory.StoredBoards, TeamDirectory.StoredServices, TeamDirectory.StoredTeams, MeasureSetStore.Stored, SubmissionStore.StoredCurrentValues,
    ];

    private static string? ValueOf(IReadOnlyList<string> args, string name)
    {
        var index = args.ToList().IndexOf(name);
        return index >= 0 && index + 1 < args.Count ? args[index + 1] : null;
    }

    private static void Time<T>(string what, Func<T> work)
    {
        GC.KeepAlive(work()); // warm up
        var times = new List<double>(Repeats);
        var cpu = new List<double>(Repeats);
        long allocated = 0;
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < Repeats; i++)
        {
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            GC.KeepAlive(work());
            watch.Stop();
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-60} best {times.Min(),9:F1} ms  median {times.Order().ElementAt(Repeats / 2),9:F1} ms  CPU {cpu.Min(),9:F1} ms  {allocated / 1048576d,8:F1} MB"));
    }

    private sealed class FixedOptions<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;
        public T Get(string? name) => value;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }
}
