using System.Globalization;
using System.Text;

namespace ValueManagement.LoadTests;

/// <summary>
/// dotnet run -c Release --project tests/ValueManagement.LoadTests -- submissions [--users 50] [--seconds 20]
///     [--warmup 3] [--teams-per-user 20] [--think-ms 0,1000] [--write-readme]
/// </summary>
public static class SubmissionsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Error.WriteLine("""
                Usage: ValueManagement.LoadTests submissions [--users 50] [--seconds 20] [--warmup 3] [--teams-per-user 20] [--think-ms 0,1000] [--write-readme]

                Starts the real bot host on 127.0.0.1 against a loopback fake Bot Framework cloud and has N
                users submit weekly forms (signed adaptiveCard/action invokes, verb submitWeek) at once, each
                for a team and week of their own, one after another. Prints submissions/s, p50/p95/p99 latency
                and errors, then checks that every acknowledged submission is in the data file.
                --think-ms runs once per value given: each user pauses about that long after each answer
                (0: back to back, the most the bot can take; 1000: people who each send a form a second).
                --write-readme rewrites the submissions block of README.md.
                """);
            return 0;
        }

        var thinkTimes = CommandLineOptions.Ints(args, "--think-ms", allowZero: true) ?? [0];
        var options = new SubmissionsOptions
        {
            Users = CommandLineOptions.Int(args, "--users", 50),
            Seconds = CommandLineOptions.Int(args, "--seconds", 20),
            WarmupSeconds = CommandLineOptions.Int(args, "--warmup", 3, allowZero: true),
            TeamsPerUser = CommandLineOptions.Int(args, "--teams-per-user", 20),
        };
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var results = new List<SubmissionsResult>();
        foreach (var think in thinkTimes)
        {
            var result = await SubmissionsBenchmark.RunAsync(options with { ThinkMs = think }, Console.Error, cancel.Token);
            foreach (var sample in result.ErrorSamples)
                Console.Error.WriteLine("error: " + sample);
            results.Add(result);
        }
        var report = Report(options, thinkTimes, results);
        Console.WriteLine(report);

        if (args.Contains("--write-readme"))
            ReadmeBlock.Write("submissions", report);
        return results.All(r => r.Errors == 0 && r.Lost == 0) ? 0 : 1;
    }

    public static string Report(SubmissionsOptions options, IReadOnlyList<int> thinkTimes, IReadOnlyList<SubmissionsResult> results)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| Concurrent users | Pause between forms | Submissions | Submissions/s | p50 ms | p95 ms | p99 ms | max ms | Errors | Acknowledged but not on disk |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var result in results)
        {
            var pause = result.ThinkMs == 0 ? "none (back to back)" : string.Create(invariant, $"{result.ThinkMs} ms on average");
            text.AppendLine(string.Create(invariant,
                $"| {result.Users} | {pause} | {result.Acknowledged} | {result.PerSecond:F0} | {result.P50Ms:F1} | {result.P95Ms:F1} | {result.P99Ms:F1} | {result.MaxMs:F1} | {result.Errors} | {result.Lost} of {result.Acknowledged + result.WarmupAcknowledged} |"));
        }
        text.AppendLine();
        text.AppendLine(string.Create(invariant,
            $"Each submission is a signed `adaptiveCard/action` invoke (verb `submitWeek`, 12 figures and a comment) for a team and week nobody else is entering, through JWT validation, the permission check, parsing, one LiteDB transaction (revision + audit entry) and the summary card; latency is from sending the request to reading the whole answer. Back to back, each user sends the next form as soon as the last is answered: that measures the most the bot can take. With a pause, each user waits about that long after each answer, as people filling in forms do. After each run the bot is stopped and the data file reopened: every acknowledged submission was checked there ({results.Sum(r => r.AuditEntries)} audit entries in all)."));
        text.AppendLine();
        text.AppendLine($"Machine: {CompareBenchmark.MachineLine()}; the bot, the fake cloud and the {options.Users} users on one machine, {options.WarmupSeconds} s warm-up then {options.Seconds} s measured per run, {DateTime.UtcNow:yyyy-MM-dd}.");
        text.AppendLine();
        text.AppendLine($"Command: `dotnet run -c Release --project tests/ValueManagement.LoadTests -- submissions --users {options.Users} --seconds {options.Seconds} --warmup {options.WarmupSeconds} --teams-per-user {options.TeamsPerUser} --think-ms {string.Join(',', thinkTimes)} --write-readme`");
        return text.ToString().TrimEnd();
    }
}
