extern alias BotHost;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.LoadTests;

public sealed record SubmissionsOptions
{
    public int Users { get; init; } = 50;
    public int Seconds { get; init; } = 20;
    public int WarmupSeconds { get; init; } = 3;

    /// <summary>Teams each user enters figures for; a team gets at most a year of weeks, as in real use.</summary>
    public int TeamsPerUser { get; init; } = 20;

    /// <summary>
    /// How long a user pauses after an answer before sending the next form, on average (each pause is
    /// drawn evenly from half to one and a half times this); 0 sends back to back, which measures the
    /// most the bot can take rather than how quickly it answers that many people.
    /// </summary>
    public int ThinkMs { get; init; }
}

/// <summary>One acknowledged submission: the bot answered the invoke with the submitted summary card.</summary>
public sealed record AcknowledgedSubmission(string TeamId, IsoWeek Week);

public sealed record SubmissionsResult(
    int Users,
    int ThinkMs,
    double Seconds,
    int Acknowledged,
    int Errors,
    IReadOnlyList<string> ErrorSamples,
    double PerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    int WarmupAcknowledged,
    int FoundOnDisk,
    int AuditEntries)
{
    public int Lost => Acknowledged + WarmupAcknowledged - FoundOnDisk;
}

/// <summary>
/// N people submit their weekly forms at once: the real bot host on Kestrel (127.0.0.1, a LiteDB
/// file in a temp folder), authenticated against a loopback fake Bot Framework cloud, each
/// submission an <c>adaptiveCard/action</c> invoke with verb <c>submitWeek</c> signed with the test
/// key, for a team and week nobody else is entering. Each user sends the next form as soon as the
/// last is answered. After the run the host is stopped and the data file is opened again to check
/// that every acknowledged submission is there, with its audit entry.
/// </summary>
public static class SubmissionsBenchmark
{
    private const int WeeksPerTeam = 52;
    private const string ServiceId = "load-service";

    public static async Task<SubmissionsResult> RunAsync(SubmissionsOptions options, TextWriter log, CancellationToken cancel)
    {
        var work = Path.Combine(Path.GetTempPath(), "vm-submissions-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        var databasePath = Path.Combine(work, "vm.db");
        try
        {
            var users = Enumerable.Range(0, options.Users)
                .Select(i => new TestUser($"Load user {i + 1}", new Guid(i + 1, 0x5b, 0x17, new byte[8]).ToString()))
                .ToArray();
            var now = DateTimeOffset.UtcNow;
            var currentWeek = TeamClock.Default.CurrentWeek(now);
            PrepareOrganisation(databasePath, users, options.TeamsPerUser);

            await using var cloud = await FakeBotFrameworkCloud.StartAsync();
            cloud.RecordBodies = false;
            var activities = new TestActivities(cloud.ServiceUrl, LoadBotHost.AppId);
            var token = "Bearer " + TestTokens.Create(cloud.PrimaryKey, new TestTokenSpec { Audience = LoadBotHost.AppId, ServiceUrl = cloud.ServiceUrl });

            var acknowledged = new ConcurrentBag<AcknowledgedSubmission>();
            var warmupAcknowledged = 0;
            SubmissionsResult result;
            await using (var host = new LoadBotHost(cloud, databasePath))
            {
                host.UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
                host.StartServer();
                var url = host.ClientOptions.BaseAddress.ToString().TrimEnd('/') + "/api/messages";
                if (!url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
                    throw new InvalidOperationException($"The bot is not on loopback: {url}");
                log.WriteLine($"bot: {url}; {options.Users} users, {options.Users * options.TeamsPerUser} teams");

                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Users * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
                {
                    Timeout = TimeSpan.FromSeconds(30),
                };
                var pairs = users.Select((_, u) => new PairSource(u, options.TeamsPerUser, currentWeek)).ToArray();

                if (options.WarmupSeconds > 0)
                {
                    log.WriteLine($"warm-up {options.WarmupSeconds} s");
                    var warm = await DriveAsync(http, url, token, activities, users, pairs, TimeSpan.FromSeconds(options.WarmupSeconds), options.ThinkMs, cancel);
                    foreach (var a in warm.Acknowledged) acknowledged.Add(a);
                    warmupAcknowledged = warm.Acknowledged.Count;
                }

                log.WriteLine($"measuring {options.Seconds} s with {options.Users} concurrent users");
                var measured = await DriveAsync(http, url, token, activities, users, pairs, TimeSpan.FromSeconds(options.Seconds), options.ThinkMs, cancel);
                foreach (var a in measured.Acknowledged) acknowledged.Add(a);

                var latencies = measured.Latencies;
                latencies.Sort();
                result = new SubmissionsResult(
                    options.Users, options.ThinkMs, measured.Elapsed.TotalSeconds, measured.Acknowledged.Count, measured.Errors.Count,
                    measured.Errors.Distinct().Take(5).ToList(),
                    measured.Acknowledged.Count / measured.Elapsed.TotalSeconds,
                    Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99),
                    latencies.Count == 0 ? double.NaN : latencies[^1],
                    warmupAcknowledged, 0, 0);
            }

            // The host is stopped and the file closed: read it back as the next start would.
            var (found, audits) = await CountOnDiskAsync(databasePath, acknowledged.ToList());
            return result with { FoundOnDisk = found, AuditEntries = audits };
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public static string TeamId(int user, int team) => $"load-{user + 1:D3}-{team + 1:D2}";

    /// <summary>One board and service, <c>users × teamsPerUser</c> acute wards, and each user a member of their own wards.</summary>
    internal static void PrepareOrganisation(string databasePath, IReadOnlyList<TestUser> users, int teamsPerUser)
    {
        using var database = new VmDatabase(databasePath);
        var audit = new AuditLog(database);
        var directory = new TeamDirectory(database, audit, TimeProvider.System);
        var teams = new List<TeamProfile>();
        var roles = new List<RoleAssignment>();
        for (var u = 0; u < users.Count; u++)
        {
            for (var t = 0; t < teamsPerUser; t++)
            {
                var id = TeamId(u, t);
                teams.Add(new TeamProfile
                {
                    Id = id, Name = $"Load ward {u + 1}.{t + 1}", ServiceId = ServiceId, MeasureSetId = DefaultMeasureSets.AcuteWard.Id,
                    LateEntryWeeks = WeeksPerTeam + 2,
                });
                roles.Add(new RoleAssignment(users[u].AadObjectId, users[u].Name, Role.Member, RoleScopeKind.Team, id));
            }
        }
        directory.ReplaceAll(new TeamSetupDocument(
            [new Board("load-board", "Load board")], [new Service(ServiceId, "Load service", "load-board")], [], teams, roles),
            new Actor("vm:load", "Load test"));
    }

    /// <summary>The (team, week) pairs one user works through: a year of weeks back from the current one, team by team.</summary>
    internal sealed class PairSource(int user, int teams, IsoWeek currentWeek)
    {
        private int _next;

        public (string TeamId, IsoWeek Week)? Next()
        {
            var n = _next++;
            if (n >= teams * WeeksPerTeam) return null;
            return (TeamId(user, n / WeeksPerTeam), currentWeek.AddWeeks(-(n % WeeksPerTeam)));
        }
    }

    private sealed record DriveResult(List<double> Latencies, List<AcknowledgedSubmission> Acknowledged, List<string> Errors, TimeSpan Elapsed);

    private static async Task<DriveResult> DriveAsync(HttpClient http, string url, string token, TestActivities activities, TestUser[] users,
        PairSource[] pairs, TimeSpan duration, int thinkMs, CancellationToken cancel)
    {
        var latencies = new ConcurrentBag<double>();
        var acknowledged = new ConcurrentBag<AcknowledgedSubmission>();
        var errors = new ConcurrentBag<string>();
        var stopwatch = Stopwatch.StartNew();
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = users.Select((user, u) => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end && !cancel.IsCancellationRequested && pairs[u].Next() is var (teamId, week))
            {
                var body = activities.Invoke(CaptureVerbs.SubmitWeek, Form(teamId, week, u), user).ToJsonString();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.TryAddWithoutValidation("Authorization", token);
                    using var response = await http.SendAsync(request, cancel);
                    var answer = await response.Content.ReadAsStringAsync(cancel);
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (Problem((int)response.StatusCode, answer) is { } problem)
                    {
                        errors.Add(problem);
                        continue;
                    }
                    latencies.Add(elapsed);
                    acknowledged.Add(new AcknowledgedSubmission(teamId, week));
                    if (thinkMs > 0)
                        await Task.Delay(TimeSpan.FromMilliseconds(thinkMs * (0.5 + Random.Shared.NextDouble())), cancel);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
                {
                    errors.Add(e.GetType().Name + ": " + e.Message);
                }
            }
        }, cancel)).ToArray();
        await Task.WhenAll(workers);
        stopwatch.Stop();
        return new DriveResult(latencies.ToList(), acknowledged.ToList(), errors.ToList(), stopwatch.Elapsed);
    }

    /// <summary>Null when the bot answered with the submitted summary (the figures are stored); otherwise what went wrong.</summary>
    internal static string? Problem(int status, string answer)
    {
        if (status != 200) return $"HTTP {status}: {Shorten(answer)}";
        try
        {
            var body = JsonNode.Parse(answer);
            var type = body?["type"]?.GetValue<string>();
            if (type != "application/vnd.microsoft.card.adaptive") return $"answered with {type}: {Shorten(body?["value"]?.ToJsonString() ?? string.Empty)}";
            var text = body!["value"]!.ToJsonString();
            return text.Contains("submitted", StringComparison.Ordinal) ? null : $"a card that is not the submitted summary: {Shorten(text)}";
        }
        catch (JsonException)
        {
            return $"not JSON: {Shorten(answer)}";
        }
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";

    /// <summary>A filled-in weekly form as Teams sends it: every entered measure as a string, a comment, and the revision the form showed.</summary>
    internal static Dictionary<string, object?> Form(string teamId, IsoWeek week, int user)
    {
        var form = new Dictionary<string, object?>
        {
            [CaptureVerbs.TeamIdKey] = teamId,
            [CaptureVerbs.WeekKey] = week.ToString(),
            [CaptureVerbs.RevisionKey] = 0,
            [PromptCard.CommentKey] = "Load test: a quiet week.",
        };
        var wobble = (week.Week + user) % 3;
        foreach (var measure in DefaultMeasureSets.AcuteWard.Measures.Where(m => m.IsEntered && !m.IsSampled))
        {
            var low = measure.Min ?? 0;
            var value = Math.Min(measure.Max ?? double.MaxValue, low + 1 + wobble);
            form[measure.Key] = value.ToString(CultureInfo.InvariantCulture);
        }
        return form;
    }

    internal static async Task<(int Found, int AuditEntries)> CountOnDiskAsync(string databasePath, IReadOnlyList<AcknowledgedSubmission> acknowledged)
    {
        using var database = await OpenWhenReleasedAsync(databasePath);
        var audit = new AuditLog(database);
        var store = new SubmissionStore(database, audit, TimeProvider.System);
        // Stored means a revision in the submissions collection and its audit entry beside it.
        var found = acknowledged.Count(a => store.Load(a.TeamId, a.Week).LatestRevisionNumber >= 1
            && audit.ForSubject("submission", SubmissionStore.KeyFor(a.TeamId, a.Week)).Count >= 1);
        return (found, audit.Count());
    }

    /// <summary>The stopped host lets go of the data file as its services are disposed, which can finish a moment after the stop returns.</summary>
    private static async Task<VmDatabase> OpenWhenReleasedAsync(string databasePath)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return new VmDatabase(databasePath);
            }
            catch (DatabaseInUseException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    internal static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
