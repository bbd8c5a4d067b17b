using System.Diagnostics;
using System.Globalization;
using ValueManagement.LoadTests;

if (args.Length > 0 && args[0] == "compare") return await CompareCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "submissions") return await SubmissionsCommand.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "mix") return await MixCommand.RunAsync(args[1..]);

// dotnet run -c Release --project tests/ValueManagement.LoadTests -- fanout --teams 5000 [--rate 30] [--latency-ms 0]
//     [--tenant-limit 50] [--concurrency 16] [--postgres <connection string> [--instances 2]] [--no-header] [--write-readme]
if (args.Length == 0 || args[0] != "fanout" || args.Contains("--help") || args.Contains("-h"))
{
    Console.Error.WriteLine("""
        Usage: ValueManagement.LoadTests fanout [options]
               ValueManagement.LoadTests submissions --help
               ValueManagement.LoadTests compare --help

        Sends the Monday prompt to N teams (one channel each) through the real delivery layer and
        Connector client, against a loopback fake Bot Connector that enforces Teams' limits, and
        prints a Markdown table row.

          --teams N          teams to prompt (default 5000)
          --rate R           Bot:Delivery:TenantMessagesPerSecond, the ceiling (default 30)
          --latency-ms L     how long the fake Connector takes to answer (default 0)
          --tenant-limit T   the fake Connector's per-tenant limit per second (default 50, as Teams documents)
          --concurrency C    Bot:Delivery:MaxConcurrentSends (default 16)
          --postgres CS      the send ledger and the shared tenant ceiling in this PostgreSQL database
          --instances N      with --postgres: N bot instances on it running the same fan-out at once (default 1)
          --no-header        print only the row
          --write-readme     also rewrite the fanout block of README.md (fanout-postgres with --postgres)
        """);
    return args.Length == 0 ? 2 : 0;
}

var options = new FanOutBenchmarkOptions
{
    Teams = CommandLineOptions.Int(args, "--teams", 5000),
    Rate = CommandLineOptions.Int(args, "--rate", 30),
    LatencyMs = CommandLineOptions.Int(args, "--latency-ms", 0),
    TenantLimit = CommandLineOptions.Int(args, "--tenant-limit", 50),
    Concurrency = CommandLineOptions.Int(args, "--concurrency", 16),
    PostgreSqlConnectionString = args.SkipWhile(a => a != "--postgres").Skip(1).FirstOrDefault(),
    Instances = CommandLineOptions.Int(args, "--instances", 1),
};
if (options.Instances > 1 && options.PostgreSqlConnectionString is null)
{
    Console.Error.WriteLine("--instances needs --postgres: instances share the send ledger through PostgreSQL (a LiteDB file has one writer).");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var stopwatch = Stopwatch.StartNew();
var result = await FanOutBenchmark.RunAsync(options, Console.Error, cancel.Token);
if (!args.Contains("--no-header"))
{
    Console.WriteLine(FanOutBenchmarkResult.Header);
    Console.WriteLine(FanOutBenchmarkResult.Separator);
}
Console.WriteLine(result.ToMarkdownRow());
Console.Error.WriteLine($"(whole program: {stopwatch.Elapsed.TotalSeconds:F1} s)");
if (args.Contains("--write-readme"))
{
    // The connection string stays out of the README: it names a server and may hold a password.
    var shown = args.Select((a, i) => i > 0 && args[i - 1] == "--postgres" ? "\"<connection string>\"" : a);
    var command = "dotnet run -c Release --project tests/ValueManagement.LoadTests -- " + string.Join(' ', shown);
    var onPostgreSql = options.PostgreSqlConnectionString is null
        ? ""
        : $" {options.Instances} bot instance(s) on one PostgreSQL database ran the same fan-out at once (as each one's tick does): the send ledger admitted each message once and the tenant ceiling held for them together.";
    ReadmeBlock.Write(options.PostgreSqlConnectionString is null ? "fanout" : "fanout-postgres", string.Create(CultureInfo.InvariantCulture, $"""
        {FanOutBenchmarkResult.Header}
        {FanOutBenchmarkResult.Separator}
        {result.ToMarkdownRow()}

        Achieved {result.MessagesPerSecond / options.Rate:P0} of the configured ceiling ({options.Rate}/s, under Teams' {options.TenantLimit}/s per tenant).{onPostgreSql}
        Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} logical cores (shared with other work), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, with:

        ```
        {command}
        ```
        The row is written by the program: the Monday prompt through the real sender and Connector client to a loopback fake Connector that answers 429 when Teams' limits are exceeded; "Lost" and "Duplicated" are counted from what the fake Connector accepted against the send ledger.
        """));
}
return result.Lost == 0 && result.Duplicated == 0 && result.RerunSends == 0 ? 0 : 1;
