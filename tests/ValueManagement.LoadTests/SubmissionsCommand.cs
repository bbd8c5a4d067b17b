using System.Globalization;
using System.Text;

namespace ValueManagement.LoadTests;

/// <summary>
/// dotnet run -c Release --project tests/ValueManagement.LoadTests -- submissions [--users 50] [--seconds 20]
///     [--warmup 3] [--teams-per-user 20] [--write-readme]
/// </summary>
public static class SubmissionsCommand
{
    private const string Begin = "<!-- perf:submissions:begin -->";
    private const string End = "<!-- perf:submissions:end -->";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Error.WriteLine("""
                Usage: ValueManagement.LoadTests submissions [--users 50] [--seconds 20] [--warmup 3] [--teams-per-user 20] [--write-readme]

                Starts the real bot host on 127.0.0.1 against a loopback fake Bot Framework cloud and has N
                users submit weekly forms (signed adaptiveCard/action invokes, verb submitWeek) at once, each
                for a team and week of their own, one after another. Prints submissions/s, p50/p95/p99 latency
                and errors, then checks that every acknowledged submission is in the data file.
                --write-readme rewrites the submissions block of README.md.
                """);
            return 0;
        }

        var options = new SubmissionsOptions
        {
            Users = Option(args, "--users", 50),
            Seconds = Option(args, "--seconds", 20),
            WarmupSeconds = Option(args, "--warmup", 3, allowZero: true),
            TeamsPerUser = Option(args, "--teams-per-user", 20),
        };
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var result = await SubmissionsBenchmark.RunAsync(options, Console.Error, cancel.Token);
        var report = Report(options, result);
        Console.WriteLine(report);
        foreach (var sample in result.ErrorSamples)
            Console.Error.WriteLine("error: " + sample);

        if (args.Contains("--write-readme"))
            WriteReadme(report);
        return result.Errors == 0 && result.Lost == 0 ? 0 : 1;
    }

    public static string Report(SubmissionsOptions options, SubmissionsResult result)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| Concurrent users | Submissions | Submissions/s | p50 ms | p95 ms | p99 ms | max ms | Errors | Acknowledged but not on disk |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(string.Create(invariant,
            $"| {result.Users} | {result.Acknowledged} | {result.PerSecond:F0} | {result.P50Ms:F1} | {result.P95Ms:F1} | {result.P99Ms:F1} | {result.MaxMs:F1} | {result.Errors} | {result.Lost} of {result.Acknowledged + result.WarmupAcknowledged} |"));
        text.AppendLine();
        text.AppendLine(string.Create(invariant,
            $"Each submission is a signed `adaptiveCard/action` invoke (verb `submitWeek`, 12 figures and a comment) for a team and week nobody else is entering, through JWT validation, the permission check, parsing, one LiteDB transaction (revision + audit entry) and the summary card; latency is from sending the request to reading the whole answer. Users send their next form as soon as the last is answered. After the run the bot is stopped and the data file reopened: every acknowledged submission was checked there ({result.AuditEntries} audit entries)."));
        text.AppendLine();
        text.AppendLine($"Machine: {CompareBenchmark.MachineLine()}; the bot, the fake cloud and the {result.Users} users on one machine (shared with other work while measured), {options.WarmupSeconds} s warm-up then {options.Seconds} s measured, {DateTime.UtcNow:yyyy-MM-dd}.");
        text.AppendLine();
        text.AppendLine($"Command: `dotnet run -c Release --project tests/ValueManagement.LoadTests -- submissions --users {options.Users} --seconds {options.Seconds} --warmup {options.WarmupSeconds} --teams-per-user {options.TeamsPerUser} --write-readme`");
        return text.ToString().TrimEnd();
    }

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
        File.WriteAllText(readme, text[..(begin + Begin.Length)] + "\n" + report + "\n" + text[end..]);
        Console.Error.WriteLine("README.md submissions block rewritten.");
    }

    private static int Option(string[] args, string name, int fallback, bool allowZero = false)
    {
        var index = Array.IndexOf(args, name);
        if (index < 0) return fallback;
        if (index + 1 >= args.Length || !int.TryParse(args[index + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < (allowZero ? 0 : 1))
            throw new ArgumentException($"{name} needs a {(allowZero ? "whole number, 0 or more" : "positive whole number")}.");
        return value;
    }
}
