using System.Globalization;
using System.Text;

namespace ValueManagement.LoadTests;

/// <summary>
/// dotnet run -c Release --project tests/ValueManagement.LoadTests -- compare [--seconds 10] [--warmup 3]
///     [--concurrency 16] [--conversations 500] [--write-readme]
/// </summary>
public static class CompareCommand
{
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
            Seconds = CommandLineOptions.Int(args, "--seconds", 10),
            WarmupSeconds = CommandLineOptions.Int(args, "--warmup", 3),
            Concurrency = CommandLineOptions.Int(args, "--concurrency", 16),
            Conversations = CommandLineOptions.Int(args, "--conversations", 500),
        };
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var (ours, js, probes) = await CompareBenchmark.RunAsync(options, Console.Error, cancel.Token);
        var report = Report(options, ours, js, probes);
        Console.WriteLine(report);

        if (args.Contains("--write-readme"))
            ReadmeBlock.Write("compare", report);

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
}
