using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ValueManagement.Benchmarks;

// dotnet run -c Release --project tests/ValueManagement.Benchmarks -- --filter '*' --job short --inProcess [--write-readme]
// Every other argument goes to BenchmarkDotNet; --write-readme rewrites the README's benchmark block from the results.
// dotnet run -c Release --project tests/ValueManagement.Benchmarks -- --profile-rollup [--board-file PATH]: the roll-up's
// time split by piece (RollupProfile).
const string WriteReadme = "--write-readme";
if (args.Contains(RollupProfile.Switch))
{
    RollupProfile.Run(args);
    return 0;
}

var loadBefore = ReadmeBlock.LoadAverage();
var benchmarkArgs = args.Where(a => a != WriteReadme).ToArray();
StorageBenchmarks.PrepareFor(benchmarkArgs);
var summaries = BenchmarkSwitcher
    .FromTypes([typeof(BoxScoreBenchmarks), typeof(SignalBenchmarks), typeof(CardBenchmarks), typeof(StorageBenchmarks)])
    .Run(benchmarkArgs)
    .ToList();

if (args.Contains(WriteReadme))
{
    var readme = ReadmeBlock.FindReadme();
    var command = "dotnet run -c Release --project tests/ValueManagement.Benchmarks -- " + string.Join(' ', args.Select(ReadmeBlock.ShellQuote));
    File.WriteAllText(readme, ReadmeBlock.Replace(File.ReadAllText(readme), ReadmeBlock.Table(summaries, command, loadBefore, ReadmeBlock.LoadAverage())));
    Console.WriteLine($"Wrote the benchmark table to {readme}.");
}
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;

namespace ValueManagement.Benchmarks
{
    /// <summary>The README table between the perf:benchmarks markers, written from BenchmarkDotNet's summaries.</summary>
    public static class ReadmeBlock
    {
        public const string Begin = "<!-- perf:benchmarks:begin -->";
        public const string End = "<!-- perf:benchmarks:end -->";

        /// <summary>Targets from issue 4, by the start of the benchmark's description.</summary>
        private static readonly (string Prefix, TimeSpan Target)[] Targets =
        [
            ("Box score with signals", TimeSpan.FromMilliseconds(5)),
            ("Roll-up of 1,000 teams", TimeSpan.FromSeconds(1)),
        ];

        public static string FindReadme()
        {
            for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "README.md");
                if (File.Exists(candidate) && File.ReadAllText(candidate).Contains(Begin, StringComparison.Ordinal)) return candidate;
            }
            throw new FileNotFoundException($"No README.md with {Begin} above {Environment.CurrentDirectory}.");
        }

        public static string Replace(string readme, string table)
        {
            var start = readme.IndexOf(Begin, StringComparison.Ordinal);
            var end = readme.IndexOf(End, StringComparison.Ordinal);
            if (start < 0 || end < start) throw new InvalidOperationException("The README lacks the perf:benchmarks markers.");
            return string.Concat(readme.AsSpan(0, start + Begin.Length), "\n", table, readme.AsSpan(end));
        }

        public static string Table(IEnumerable<Summary> summaries, string command, string loadBefore, string loadAfter)
        {
            var reports = summaries.SelectMany(s => s.Reports).ToList();
            var text = new StringBuilder();
            text.AppendLine("| Benchmark | Mean | ± (99.9% CI) | Runs | Allocated | Target | Met? |");
            text.AppendLine("|---|---:|---:|---:|---:|---:|:---:|");
            foreach (var report in reports)
            {
                var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                var parameters = report.BenchmarkCase.Parameters.DisplayInfo;
                if (!string.IsNullOrEmpty(parameters)) name += " " + parameters;
                var stats = report.ResultStatistics;
                var mean = stats is null ? (TimeSpan?)null : TimeSpan.FromTicks((long)(stats.Mean / 100));
                var margin = stats is null || double.IsNaN(stats.ConfidenceInterval.Margin) ? "" : Duration(stats.ConfidenceInterval.Margin);
                var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
                var target = Targets.FirstOrDefault(t => name.StartsWith(t.Prefix, StringComparison.Ordinal)).Target;
                var met = target == default || mean is null ? "" : mean < target ? "yes" : "**no**";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {(stats is null ? "failed" : Duration(stats.Mean))} | {margin} | {stats?.N} | {(allocated is { } a ? Bytes(a) : "")} | {(target == default ? "" : Duration(target.TotalNanoseconds))} | {met} |");
            }
            var jobs = string.Join("; ", reports.Select(r => r.BenchmarkCase.Job.DisplayInfo).Distinct());
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Processor()}, {Environment.ProcessorCount} logical cores shared with other work that ran at the same time (load average {loadBefore} at the start, {loadAfter} at the end), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}. BenchmarkDotNet job: {jobs}. Command:");
            text.AppendLine();
            text.AppendLine("```");
            text.AppendLine(command);
            text.AppendLine("```");
            text.AppendLine("Runs is the number of measured iterations per benchmark and ± the half-width of the 99.9% confidence interval");
            text.AppendLine("BenchmarkDotNet computes from them; with so few iterations on a shared, loaded machine the means are indicative");
            text.AppendLine("only, and the same code measures faster on an idle machine. The table is written by the benchmark program.");
            return text.ToString();
        }

        /// <summary>The 1, 5 and 15 minute load averages, or "unknown" off Linux.</summary>
        public static string LoadAverage()
        {
            try
            {
                var fields = File.ReadAllText("/proc/loadavg").Split(' ');
                return $"{fields[0]} / {fields[1]} / {fields[2]}";
            }
            catch (IOException)
            {
                return "unknown";
            }
            catch (UnauthorizedAccessException)
            {
                return "unknown";
            }
        }

        /// <summary>An argument as a POSIX shell needs it, so that the command in the README can be pasted as it is.</summary>
        public static string ShellQuote(string argument) =>
            argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '=' or ':' or ',')
                ? argument
                : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

        private static string Duration(double nanoseconds) => nanoseconds switch
        {
            >= 1e9 => (nanoseconds / 1e9).ToString("F2", CultureInfo.InvariantCulture) + " s",
            >= 1e6 => (nanoseconds / 1e6).ToString("F2", CultureInfo.InvariantCulture) + " ms",
            >= 1e3 => (nanoseconds / 1e3).ToString("F1", CultureInfo.InvariantCulture) + " µs",
            _ => nanoseconds.ToString("F0", CultureInfo.InvariantCulture) + " ns",
        };

        private static string Bytes(long bytes) => bytes switch
        {
            >= 1 << 20 => (bytes / 1048576d).ToString("F1", CultureInfo.InvariantCulture) + " MB",
            >= 1 << 10 => (bytes / 1024d).ToString("F1", CultureInfo.InvariantCulture) + " KB",
            _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
        };

        private static string Processor()
        {
            try
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null) return line[(line.IndexOf(':') + 1)..].Trim();
            }
            catch (IOException)
            {
            }
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
