extern alias BotHost;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.LoadTests;

public sealed record CompareOptions
{
    public int Seconds { get; init; } = 10;
    public int WarmupSeconds { get; init; } = 3;
    public int Concurrency { get; init; } = 16;
    public int Conversations { get; init; } = 500;
}

public sealed record BotRunResult(string Bot, int Turns, int Replies, int Failures, double TurnsPerSecond, double P50Ms, double P95Ms, double P99Ms);

public sealed record ProbeResult(string Probe, int OurStatus, int JsStatus);

/// <summary>
/// Our bot and Microsoft's Bot Framework SDK for JavaScript (botbuilder 4.23.3, CloudAdapter in
/// Express), side by side in one run: both answer the same signed `help` activity with the same card
/// through the same loopback fake Bot Framework cloud.
/// </summary>
public static class CompareBenchmark
{
    private const string AppId = LoadBotHost.AppId;

    public static async Task<(BotRunResult Ours, BotRunResult Js, IReadOnlyList<ProbeResult> Probes)> RunAsync(CompareOptions options, TextWriter log, CancellationToken cancel)
    {
        var work = Path.Combine(Path.GetTempPath(), "vm-compare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            await using var cloud = await FakeBotFrameworkCloud.StartAsync();
            await using var ours = new LoadBotHost(cloud, Path.Combine(work, "vm.db"));
            ours.UseKestrel(0);
            ours.StartServer();
            var ourUrl = ours.ClientOptions.BaseAddress.ToString().TrimEnd('/') + "/api/messages";
            log.WriteLine($"our bot: {ourUrl}");

            var activities = new TestActivities(cloud.ServiceUrl, AppId);
            var token = TestTokens.Create(cloud.PrimaryKey, new TestTokenSpec { Audience = AppId, ServiceUrl = cloud.ServiceUrl });
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                Timeout = TimeSpan.FromSeconds(30),
            };

            // The card the JS bot sends is the one our bot sends, taken from its reply.
            cloud.ClearCalls();
            using (var first = await PostAsync(http, ourUrl, activities.Personal("help").ToJsonString(), token, cancel))
                first.EnsureSuccessStatusCode();
            var reply = (await cloud.WaitForCallsAsync(1)).First();
            var card = reply.Card ?? throw new InvalidOperationException("Our bot's help reply carried no card.");
            var cardPath = Path.Combine(work, "help-card.json");
            await File.WriteAllTextAsync(cardPath, card.ToJsonString(), cancel);
            var certificatePath = Path.Combine(work, "fake-cloud.pem");
            await File.WriteAllTextAsync(certificatePath, TestCertificate.Certificate.ExportCertificatePem(), cancel);
            cloud.RecordBodies = false;

            await using var js = await JsBot.StartAsync(work, cloud, cardPath, certificatePath, log, cancel);
            log.WriteLine($"JS bot: {js.Url}");

            var users = Enumerable.Range(0, options.Conversations)
                .Select(i => new TestUser($"Load user {i}", new Guid(i + 1, 0xabc, 0xdef, new byte[8]).ToString()))
                .ToArray();

            // JS first, then ours, then JS again would be fairer against drift; with two cores shared, one
            // pass each after a warm-up is what the lead asked for.
            var jsResult = await DriveAsync("botbuilder 4.23.3 (Node " + js.NodeVersion + ")", js.Url, http, cloud, activities, users, token, options, log, cancel);
            var ourResult = await DriveAsync("ours (.NET " + Environment.Version + ")", ourUrl, http, cloud, activities, users, token, options, log, cancel);

            var probes = await ProbeAsync(http, ourUrl, js.Url, cloud, activities, cancel);
            return (ourResult, jsResult, probes);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<BotRunResult> DriveAsync(string name, string url, HttpClient http, FakeBotFrameworkCloud cloud, TestActivities activities,
        TestUser[] users, string token, CompareOptions options, TextWriter log, CancellationToken cancel)
    {
        log.WriteLine($"{name}: warm-up {options.WarmupSeconds} s");
        await LoadAsync(url, http, activities, users, token, options.Concurrency, TimeSpan.FromSeconds(options.WarmupSeconds), cancel);
        await WaitForQuietAsync(cloud, cancel);

        var repliesBefore = RepliesSoFar(cloud);
        log.WriteLine($"{name}: measuring {options.Seconds} s at {options.Concurrency} concurrent");
        var stopwatch = Stopwatch.StartNew();
        var (latencies, failures) = await LoadAsync(url, http, activities, users, token, options.Concurrency, TimeSpan.FromSeconds(options.Seconds), cancel);
        stopwatch.Stop();
        await WaitForQuietAsync(cloud, cancel);
        var replies = RepliesSoFar(cloud) - repliesBefore;

        latencies.Sort();
        var turns = latencies.Count;
        return new BotRunResult(name, turns, replies, failures, turns / stopwatch.Elapsed.TotalSeconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99));
    }

    private static async Task<(List<double> Latencies, int Failures)> LoadAsync(string url, HttpClient http, TestActivities activities, TestUser[] users,
        string token, int concurrency, TimeSpan duration, CancellationToken cancel)
    {
        var latencies = new ConcurrentBag<double>();
        var failures = 0;
        var next = -1;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end && !cancel.IsCancellationRequested)
            {
                var user = users[(int)((uint)Interlocked.Increment(ref next) % (uint)users.Length)];
                var body = activities.Personal("help", user).ToJsonString();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await PostAsync(http, url, body, token, cancel);
                    await response.Content.ReadAsByteArrayAsync(cancel);
                    if (response.IsSuccessStatusCode)
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    else
                        Interlocked.Increment(ref failures);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, cancel)).ToArray();
        await Task.WhenAll(workers);
        return (latencies.ToList(), failures);
    }

    private static int RepliesSoFar(FakeBotFrameworkCloud cloud) =>
        cloud.Calls.Count(call => call.Method == "POST" && call.Path.Contains("/activities", StringComparison.Ordinal));

    /// <summary>Both bots answer only after the reply reached the connector; this waits out any stragglers.</summary>
    private static async Task WaitForQuietAsync(FakeBotFrameworkCloud cloud, CancellationToken cancel)
    {
        var last = -1;
        for (var i = 0; i < 50; i++)
        {
            var now = RepliesSoFar(cloud);
            if (now == last) return;
            last = now;
            await Task.Delay(100, cancel);
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string url, string? body, string? authorization, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body ?? string.Empty, Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization.Contains(' ', StringComparison.Ordinal) ? authorization : "Bearer " + authorization);
        return await http.SendAsync(request, cancel);
    }

    private static async Task<IReadOnlyList<ProbeResult>> ProbeAsync(HttpClient http, string ourUrl, string jsUrl, FakeBotFrameworkCloud cloud,
        TestActivities activities, CancellationToken cancel)
    {
        var valid = new TestTokenSpec { Audience = AppId, ServiceUrl = cloud.ServiceUrl };
        var probes = new (string Name, string? Authorization, bool EmptyBody)[]
        {
            ("no Authorization header", null, false),
            ("Bearer with garbage (not a JWT)", "Bearer not-a-jwt", false),
            ("three dots of garbage", "Bearer a.b.c", false),
            ("alg none (unsigned)", "Bearer " + TestTokens.CreateUnsigned(valid, cloud.PrimaryKey.Kid), false),
            ("signed by an unpublished key", "Bearer " + TestTokens.Create(SharedKeys.Other, valid), false),
            ("wrong audience", "Bearer " + TestTokens.Create(cloud.PrimaryKey, valid with { Audience = "someone-else" }), false),
            ("wrong issuer", "Bearer " + TestTokens.Create(cloud.PrimaryKey, valid with { Issuer = "https://evil.example" }), false),
            ("expired", "Bearer " + TestTokens.Create(cloud.PrimaryKey, valid with { NotBefore = DateTimeOffset.UtcNow.AddHours(-3), Expires = DateTimeOffset.UtcNow.AddHours(-2) }), false),
            ("empty body, valid token", "Bearer " + TestTokens.Create(cloud.PrimaryKey, valid), true),
        };

        var results = new List<ProbeResult>();
        foreach (var (name, authorization, emptyBody) in probes)
        {
            var body = emptyBody ? null : activities.Personal("help").ToJsonString();
            results.Add(new ProbeResult(name, await StatusAsync(http, ourUrl, body, authorization, cancel), await StatusAsync(http, jsUrl, body, authorization, cancel)));
        }
        return results;
    }

    private static async Task<int> StatusAsync(HttpClient http, string url, string? body, string? authorization, CancellationToken cancel)
    {
        try
        {
            using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, probe.Token);
            using var response = await PostAsync(http, url, body, authorization, linked.Token);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            return 0; // no answer: connection dropped or hung
        }
    }

    public static string MachineLine() =>
        $"{Environment.ProcessorCount} logical cores ({RuntimeInformation.ProcessArchitecture}), {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
}

/// <summary>The botbuilder bot: npm install into a temp folder, then node index.js on a loopback port.</summary>
internal sealed class JsBot : IAsyncDisposable
{
    private readonly Process _process;

    private JsBot(Process process, string url, string nodeVersion)
    {
        _process = process;
        Url = url;
        NodeVersion = nodeVersion;
    }

    public string Url { get; }
    public string NodeVersion { get; }

    public static async Task<JsBot> StartAsync(string work, FakeBotFrameworkCloud cloud, string cardPath, string certificatePath, TextWriter log, CancellationToken cancel)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "compare-js");
        var folder = Path.Combine(work, "compare-js");
        Directory.CreateDirectory(folder);
        foreach (var file in new[] { "index.js", "package.json", "package-lock.json" })
            File.Copy(Path.Combine(source, file), Path.Combine(folder, file));

        log.WriteLine("npm ci (botbuilder 4.23.3, express) ...");
        var install = await RunAsync("npm", "ci --no-audit --no-fund --loglevel=error", folder, cancel);
        if (install.ExitCode != 0)
            throw new InvalidOperationException($"npm ci failed ({install.ExitCode}); botbuilder 4.23.3 could not be installed here:\n{install.Output}");
        var nodeVersion = (await RunAsync("node", "--version", folder, cancel)).Output.Trim();

        var start = new ProcessStartInfo("node", "index.js")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MicrosoftAppId"] = LoadBotHost.AppId;
        start.Environment["MicrosoftAppPassword"] = LoadBotHost.AppPassword;
        start.Environment["MicrosoftAppType"] = "MultiTenant";
        start.Environment["ToBotFromChannelOpenIdMetadataUrl"] = cloud.OpenIdMetadataUrl;
        start.Environment["ToChannelFromBotLoginUrl"] = cloud.LoginUrl;
        start.Environment["VmCompareTokenUrl"] = cloud.LoginUrl + "/oauth2/v2.0/token";
        start.Environment["VmCompareCardPath"] = cardPath;
        start.Environment["NODE_EXTRA_CA_CERTS"] = certificatePath;
        start.Environment["NODE_ENV"] = "production";
        start.Environment["PORT"] = "0";

        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) errors.AppendLine(e.Data); if (errors.Length < 4000) log.WriteLine("js: " + e.Data); } };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        var line = await process.StandardOutput.ReadLineAsync(linked.Token);
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The JS bot did not start: {line}\n{errors}");
        }
        _ = Task.Run(async () => { while (await process.StandardOutput.ReadLineAsync() is not null) { } }, CancellationToken.None);
        var port = int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture);
        return new JsBot(process, $"http://127.0.0.1:{port}/api/messages", nodeVersion);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string folder, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancel);
        var error = process.StandardError.ReadToEndAsync(cancel);
        await process.WaitForExitAsync(cancel);
        return (process.ExitCode, await output + await error);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
