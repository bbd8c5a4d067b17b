using System.Globalization;
using System.Text;

namespace ValueManagement.LoadTests;

/// <summary>
/// dotnet run -c Release --project tests/ValueManagement.LoadTests -- compare [--seconds 10] [--warmup 3]
///     [--concurrency 16] [--conversations 500] [--write-readme]
/// </summary>
public static class CompareCommand
{
    private const string Begin = "<!-- perf:compare:begin -->";
    private const string End = "<!-- perf:compare:end -->";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Error.WriteLine("""
                Usage: ValueManagement.LoadTests compare [--seconds 10] [--warmup 3] [--concurrency 16] [--conversations 500] [--write-readme]

                Runs our bot and Microsoft's botbuilder 4.23.3 (CloudAdapter in Express; npm ci into a temp
                folder, needs node and npm) against one loopback fake Bot Framework cloud, drives both with
                signed `help` activities, and prints turns/s, p50/p95/p99 and the robustness probes.
                --write-readme rewrites the compare block of README.md.
                """);
            return 0;
        }

        var options = new CompareOptions
        {
            Seconds = Option(args, "--seconds", 10),
            WarmupSeconds = Option(args, "--warmup", 3),
            Concurrency = Option(args, "--concurrency", 16),
            Conversations = Option(args, "--conversations", 500),
        };
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var (ours, js, probes) = await CompareBenchmark.RunAsync(options, Console.Error, cancel.Token);
        var report = Report(options, ours, js, probes);
        Console.WriteLine(report);

        if (args.Contains("--write-readme"))
            WriteReadme(report);

        var countsMatch = ours.Turns == ours.Replies && js.Turns == js.Replies;
        if (!countsMatch) Console.Error.WriteLine("Turn and reply counts differ: see the table.");
        return countsMatch && ours.Failures == 0 ? 0 : 1;
    }

    private static string Report(CompareOptions options, BotRunResult ours, BotRunResult js, IReadOnlyList<ProbeResult> probes)
    {
        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine("| Bot | Turns | Replies at connector | Failed | Turns/s | p50 ms | p95 ms | p99 ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var row in new[] { ours, js })
            text.AppendLine(string.Create(invariant, $"| {row.Bot} | {row.Turns} | {row.Replies} | {row.Failures} | {row.TurnsPerSecond:F0} | {row.P50Ms:F1} | {row.P95Ms:F1} | {row.P99Ms:F1} |"));
        text.AppendLine();
        text.AppendLine(string.Create(invariant, $"Ours / botbuilder: {ours.TurnsPerSecond / js.TurnsPerSecond:F2}× the turns per second; p99 {ours.P99Ms:F1} ms vs {js.P99Ms:F1} ms."));
        text.AppendLine();
        text.AppendLine("| Probe | Ours | botbuilder 4.23.3 |");
        text.AppendLine("|---|---:|---:|");
        foreach (var probe in probes)
            text.AppendLine($"| {probe.Probe} | {Status(probe.OurStatus)} | {Status(probe.JsStatus)} |");
        text.AppendLine();
        text.AppendLine($"Machine: {CompareBenchmark.MachineLine()}, Node {NodeNote(js.Bot)}; both bots and the driver on one machine, {options.Concurrency} concurrent turns over {options.Conversations} personal conversations, {options.WarmupSeconds} s warm-up then {options.Seconds} s measured each, {DateTime.UtcNow:yyyy-MM-dd}.");
        text.AppendLine();
        text.AppendLine($"Command: `dotnet run -c Release --project tests/ValueManagement.LoadTests -- compare --seconds {options.Seconds} --warmup {options.WarmupSeconds} --concurrency {options.Concurrency} --conversations {options.Conversations} --write-readme`");
        return text.ToString().TrimEnd();
    }

    private static string NodeNote(string jsBotName)
    {
        var start = jsBotName.IndexOf("Node ", StringComparison.Ordinal);
        return start < 0 ? "?" : jsBotName[(start + 5)..].TrimEnd(')');
    }

    private static string Status(int status) => status == 0 ? "no answer" : status.ToString(CultureInfo.InvariantCulture);

    private static void WriteReadme(string report)
    {
        var directory = new DirectoryInfo(Environment.CurrentDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ValueManagement.sln")))
            directory = directory.Parent;
        if (directory is null) throw new InvalidOperationException("Run from inside the repository: README.md not found.");
        var readme = Path.Combine(directory.FullName, "README.md");
        var text = File.ReadAllText(readme);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin) throw new InvalidOperationException($"README.md has no {Begin} … {End} block.");
        var updated = text[..(begin + Begin.Length)] + "\n" + report + "\n" + text[end..];
        File.WriteAllText(readme, updated);
        Console.Error.WriteLine("README.md compare block rewritten.");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0) return fallback;
        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw new ArgumentException($"{name} needs a positive whole number.");
        return value;
    }
}
