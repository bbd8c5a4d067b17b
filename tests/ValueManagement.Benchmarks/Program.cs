using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ValueManagement.Benchmarks;

// dotnet run -c Release --project tests/ValueManagement.Benchmarks -- --filter '*' --job short [--write-readme]
// Every other argument goes to BenchmarkDotNet; --write-readme rewrites the README's benchmark block from the results.
const string WriteReadme = "--write-readme";
var benchmarkArgs = args.Where(a => a != WriteReadme).ToArray();
var summaries = BenchmarkSwitcher
    .FromTypes([typeof(BoxScoreBenchmarks), typeof(SignalBenchmarks), typeof(CardBenchmarks), typeof(StorageBenchmarks)])
    .Run(benchmarkArgs)
    .ToList();

if (args.Contains(WriteReadme))
{
    var readme = ReadmeBlock.FindReadme();
    var command = "dotnet run -c Release --project tests/ValueManagement.Benchmarks -- " + string.Join(' ', args);
    File.WriteAllText(readme, ReadmeBlock.Replace(File.ReadAllText(readme), ReadmeBlock.Table(summaries, command)));
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

        public static string Table(IEnumerable<Summary> summaries, string command)
        {
            var text = new StringBuilder();
            text.AppendLine("| Benchmark | Mean | Allocated | Target | Met? |");
            text.AppendLine("|---|---:|---:|---:|:---:|");
            foreach (var report in summaries.SelectMany(s => s.Reports))
            {
                var name = report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'');
                var parameters = report.BenchmarkCase.Parameters.DisplayInfo;
                if (!string.IsNullOrEmpty(parameters)) name += " " + parameters;
                var mean = report.ResultStatistics is { } stats ? TimeSpan.FromTicks((long)(stats.Mean / 100)) : (TimeSpan?)null;
                var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
                var target = Targets.FirstOrDefault(t => name.StartsWith(t.Prefix, StringComparison.Ordinal)).Target;
                var met = target == default || mean is null ? "" : mean < target ? "yes" : "**no**";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {(report.ResultStatistics is { } s ? Duration(s.Mean) : "failed")} | {(allocated is { } a ? Bytes(a) : "")} | {(target == default ? "" : Duration(target.TotalNanoseconds))} | {met} |");
            }
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Processor()} ({Environment.ProcessorCount} logical cores, shared with other work while measured), {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, with:");
            text.AppendLine();
            text.AppendLine("```");
            text.AppendLine(command);
            text.AppendLine("```");
            text.AppendLine("A short job (3 iterations) on a shared machine: expect a few per cent of noise; the table is written by the benchmark program.");
            return text.ToString();
        }

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
