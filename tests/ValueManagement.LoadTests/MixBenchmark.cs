using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.LoadTests;

public sealed record MixOptions
{
    /// <summary>The numbers of concurrent users, one measured step each, in order.</summary>
    public IReadOnlyList<int> Steps { get; init; } = [10, 25, 50];
    public int SecondsPerStep { get; init; } = 10;
    public int TeamsPerUser { get; init; } = 10;
}

/// <summary>What one kind of request did in one step.</summary>
public sealed record MixKindResult(string Kind, int Count, int Errors, double P50Ms, double P95Ms, double P99Ms);

public sealed record MixStepResult(int Users, double Seconds, int Requests, int Errors, double PerSecond, double P50Ms, double P95Ms, double P99Ms, IReadOnlyList<MixKindResult> Kinds, IReadOnlyList<string> ErrorSamples);

public sealed record MixResult(IReadOnlyList<MixStepResult> Steps, int Acknowledged, int StoredExactlyOnce);

/// <summary>
/// A realistic mix through <c>/api/messages</c> on the real host (Kestrel on 127.0.0.1, signed
/// activities): half weekly-form submissions, the rest <c>boxscore</c> and <c>report</c> commands and
/// the "show box score" card action, at increasing numbers of concurrent users. Every acknowledged
/// submission is then checked in the data file: stored exactly once (one revision, one audit entry).
/// </summary>
public static class MixBenchmark
{
    private static readonly (string Kind, int Weight)[] Kinds = [("submitWeek", 50), ("boxscore", 20), ("report", 15), ("showBoxScore", 15)];

    public static async Task<MixResult> RunAsync(MixOptions options, TextWriter log, CancellationToken cancel)
    {
        var work = Path.Combine(Path.GetTempPath(), "vm-mix-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var databasePath = Path.Combine(work, "vm.db");
        try
        {
            var maxUsers = options.Steps.Max();
            var users = Enumerable.Range(0, maxUsers)
                .Select(i => new TestUser($"Load user {i + 1}", new Guid(i + 1, 0x5b, 0x17, new byte[8]).ToString()))
                .ToArray();
            var currentWeek = TeamClock.Default.CurrentWeek(DateTimeOffset.UtcNow);
            SubmissionsBenchmark.PrepareOrganisation(databasePath, users, options.TeamsPerUser);

            await using var cloud = await FakeBotFrameworkCloud.StartAsync();
            cloud.RecordBodies = false;
            var activities = new TestActivities(cloud.ServiceUrl, LoadBotHost.AppId);
            var token = "Bearer " + TestTokens.Create(cloud.PrimaryKey, new TestTokenSpec { Audience = LoadBotHost.AppId, ServiceUrl = cloud.ServiceUrl });
            var acknowledged = new ConcurrentBag<AcknowledgedSubmission>();
            var steps = new List<MixStepResult>();

            await using (var host = new LoadBotHost(cloud, databasePath))
            {
                host.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
                host.StartServer();
                var url = host.ClientOptions.BaseAddress.ToString().TrimEnd('/') + "/api/messages";
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxUsers * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                {
                    Timeout = TimeSpan.FromSeconds(30),
                };
                var pairs = users.Select((_, u) => new SubmissionsBenchmark.PairSource(u, options.TeamsPerUser, currentWeek)).ToArray();

                foreach (var count in options.Steps)
                {
                    log.WriteLine($"{count} concurrent users for {options.SecondsPerStep} s");
                    steps.Add(await StepAsync(http, url, token, activities, users[..count], pairs, currentWeek, options, acknowledged, cancel));
                }
            }

            var stored = await CountStoredOnceAsync(databasePath, acknowledged.ToList());
            return new MixResult(steps, acknowledged.Count, stored);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static async Task<MixStepResult> StepAsync(HttpClient http, string url, string token, TestActivities activities, TestUser[] users,
        SubmissionsBenchmark.PairSource[] pairs, IsoWeek currentWeek, MixOptions options, ConcurrentBag<AcknowledgedSubmission> acknowledged, CancellationToken cancel)
    {
        var latencies = new ConcurrentBag<(string Kind, double Ms)>();
        var errors = new ConcurrentBag<(string Kind, string Problem)>();
        var totalWeight = Kinds.Sum(k => k.Weight);
        var stopwatch = Stopwatch.StartNew();
        var end = Stopwatch.GetTimestamp() + (long)(options.SecondsPerStep * Stopwatch.Frequency);
        var workers = users.Select((user, u) => Task.Run(async () =>
        {
            var random = new Random(u);
            while (Stopwatch.GetTimestamp() < end && !cancel.IsCancellationRequested)
            {
                var kind = Pick(random.Next(totalWeight));
                var teamIndex = random.Next(options.TeamsPerUser);
                var teamId = SubmissionsBenchmark.TeamId(u, teamIndex);
                var teamName = $"Load ward {u + 1}.{teamIndex + 1}";
                (string TeamId, IsoWeek Week)? pair = null;
                string body;
                switch (kind)
                {
                    case "submitWeek":
                        pair = pairs[u].Next();
                        if (pair is null) continue;
                        body = activities.Invoke(CaptureVerbs.SubmitWeek, SubmissionsBenchmark.Form(pair.Value.TeamId, pair.Value.Week, u), user).ToJsonString();
                        break;
                    case "showBoxScore":
                        body = activities.Invoke("showBoxScore", new { teamId, week = currentWeek.Previous().ToString() }, user).ToJsonString();
                        break;
                    default:
                        body = activities.Personal($"{kind} {teamName}", user).ToJsonString();
                        break;
                }

                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.TryAddWithoutValidation("Authorization", token);
                    using var response = await http.SendAsync(request, cancel);
                    var answer = await response.Content.ReadAsStringAsync(cancel);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var problem = kind == "submitWeek"
                        ? SubmissionsBenchmark.Problem((int)response.StatusCode, answer)
                        : (int)response.StatusCode == 200 ? null : $"HTTP {(int)response.StatusCode}";
                    if (problem is not null)
                    {
                        errors.Add((kind, problem));
                        continue;
                    }
                    latencies.Add((kind, elapsed));
                    if (pair is { } submitted) acknowledged.Add(new AcknowledgedSubmission(submitted.TeamId, submitted.Week));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
                {
                    errors.Add((kind, e.GetType().Name + ": " + e.Message));
                }
            }
        }, cancel)).ToArray();
        await Task.WhenAll(workers);
        stopwatch.Stop();

        var all = latencies.Select(l => l.Ms).Order().ToList();
        var kinds = Kinds.Select(k =>
        {
            var sorted = latencies.Where(l => l.Kind == k.Kind).Select(l => l.Ms).Order().ToList();
            return new MixKindResult(k.Kind, sorted.Count, errors.Count(e => e.Kind == k.Kind),
                SubmissionsBenchmark.Percentile(sorted, 0.50), SubmissionsBenchmark.Percentile(sorted, 0.95), SubmissionsBenchmark.Percentile(sorted, 0.99));
        }).ToList();
        return new MixStepResult(users.Length, stopwatch.Elapsed.TotalSeconds, all.Count, errors.Count, all.Count / stopwatch.Elapsed.TotalSeconds,
            SubmissionsBenchmark.Percentile(all, 0.50), SubmissionsBenchmark.Percentile(all, 0.95), SubmissionsBenchmark.Percentile(all, 0.99),
            kinds, errors.Select(e => $"{e.Kind}: {e.Problem}").Distinct().Take(5).ToList());
    }

    private static string Pick(int roll)
    {
        foreach (var (kind, weight) in Kinds)
        {
            if (roll < weight) return kind;
            roll -= weight;
        }
        return Kinds[^1].Kind;
    }

    /// <summary>Acknowledged submissions found in the data file with exactly one revision and one audit entry each.</summary>
    private static async Task<int> CountStoredOnceAsync(string databasePath, IReadOnlyList<AcknowledgedSubmission> acknowledged)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var database = new VmDatabase(databasePath);
                var audit = new AuditLog(database);
                var store = new SubmissionStore(database, audit, TimeProvider.System);
                return acknowledged.Count(a => store.Load(a.TeamId, a.Week).LatestRevisionNumber == 1
                    && audit.ForSubject("submission", SubmissionStore.KeyFor(a.TeamId, a.Week)).Count == 1);
            }
            catch (DatabaseInUseException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public static string Report(MixOptions options, MixResult result)
    {
        var invariant = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("| Concurrent users | Requests | Requests/s | p50 ms | p95 ms | p99 ms | Errors | submitWeek p99 | boxscore p99 | report p99 | showBoxScore p99 |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var step in result.Steps)
        {
            var byKind = step.Kinds.ToDictionary(k => k.Kind);
            text.AppendLine(string.Create(invariant,
                $"| {step.Users} | {step.Requests} | {step.PerSecond:F0} | {step.P50Ms:F1} | {step.P95Ms:F1} | {step.P99Ms:F1} | {step.Errors} | {byKind["submitWeek"].P99Ms:F1} | {byKind["boxscore"].P99Ms:F1} | {byKind["report"].P99Ms:F1} | {byKind["showBoxScore"].P99Ms:F1} |"));
        }
        text.AppendLine();
        text.AppendLine(string.Create(invariant,
            $"The mix: {string.Join(", ", Kinds.Select(k => $"{k.Weight}% {k.Kind}"))} (submissions are signed `submitWeek` invokes, each for a team and week of its own; `boxscore` and `report` are typed commands answered through the fake Connector inside the turn; `showBoxScore` is the card action). Each user sends the next request as soon as the last is answered. Afterwards the data file was reopened: {result.StoredExactlyOnce} of {result.Acknowledged} acknowledged submissions are stored exactly once (one revision, one audit entry)."));
        text.AppendLine();
        text.AppendLine($"Machine: {CompareBenchmark.MachineLine()}; the bot, the fake cloud and the users on one machine, {options.SecondsPerStep} s per step, {DateTime.UtcNow:yyyy-MM-dd}.");
        text.AppendLine();
        text.AppendLine($"Command: `dotnet run -c Release --project tests/ValueManagement.LoadTests -- mix --users {string.Join(',', options.Steps)} --seconds {options.SecondsPerStep} --teams-per-user {options.TeamsPerUser} --write-readme`");
        return text.ToString().TrimEnd();
    }
}
