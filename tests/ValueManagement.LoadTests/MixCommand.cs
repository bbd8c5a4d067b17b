using System.Globalization;

namespace ValueManagement.LoadTests;

/// <summary>
/// dotnet run -c Release --project tests/ValueManagement.LoadTests -- mix [--users 10,25,50] [--seconds 10]
///     [--teams-per-user 10] [--write-readme]
/// </summary>
public static class MixCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Error.WriteLine("""
                Usage: ValueManagement.LoadTests mix [--users 10,25,50] [--seconds 10] [--teams-per-user 10] [--write-readme]

                Starts the real bot host on 127.0.0.1 against a loopback fake Bot Framework cloud and drives
                /api/messages with a mix of weekly-form submissions, boxscore and report commands and the
                show-box-score card action, one step per number of concurrent users. Prints requests/s and
                p50/p95/p99 per step and per kind, then checks every acknowledged submission is stored once.
                --write-readme rewrites the mix block of README.md.
                """);
            return 0;
        }

        var options = new MixOptions
        {
            Steps = CommandLineOptions.Ints(args, "--users") ?? [10, 25, 50],
            SecondsPerStep = CommandLineOptions.Int(args, "--seconds", 10),
            TeamsPerUser = CommandLineOptions.Int(args, "--teams-per-user", 10),
        };
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        var result = await MixBenchmark.RunAsync(options, Console.Error, cancel.Token);
        var report = MixBenchmark.Report(options, result);
        Console.WriteLine(report);
        foreach (var sample in result.Steps.SelectMany(s => s.ErrorSamples).Distinct())
            Console.Error.WriteLine("error: " + sample);
        if (args.Contains("--write-readme"))
            ReadmeBlock.Write("mix", report);
        return result.Steps.All(s => s.Errors == 0) && result.StoredExactlyOnce == result.Acknowledged ? 0 : 1;
    }
}
