using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Faults;

/// <summary>
/// The bot as a real process, killed with SIGKILL in the middle of a burst of submissions and started
/// again on the same file: every submission it acknowledged is there exactly once, nothing is stored
/// twice, and the file opens and takes new work.
/// </summary>
public sealed class ProcessKillTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private const int Teams = 12;
    private const int Workers = 8;
    private const int AcknowledgedBeforeKill = 40;

    [Fact]
    public async Task Sigkill_DuringASubmissionBurst_LosesNoAcknowledgedSubmission()
    {
        environment.Cloud.Reset();
        var databasePath = environment.NewDatabasePath();
        var workingDirectory = Path.Combine(environment.Directory, "process-" + Guid.NewGuid().ToString("N"));
        SeedTeams(databasePath);
        var thisWeek = TeamClock.Default.CurrentWeek(DateTimeOffset.UtcNow);
        IsoWeek[] weeks = [thisWeek.Previous().Previous(), thisWeek.Previous(), thisWeek];
        var acknowledged = new ConcurrentBag<string>();
        var sent = 0;

        await using (var bot = await BotProcess.StartAsync(environment.Cloud, databasePath, workingDirectory))
        {
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var n = Interlocked.Increment(ref sent);
                    var comment = $"burst {n}";
                    try
                    {
                        if (await SubmitAsync(bot, TeamId(n % Teams), weeks[n / Teams % weeks.Length], comment))
                            acknowledged.Add(comment);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return; // the bot is gone
                    }
                }
            })).ToArray();

            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (acknowledged.Count < AcknowledgedBeforeKill && DateTime.UtcNow < deadline && !bot.HasExited)
                await Task.Delay(10);
            Assert.True(acknowledged.Count >= AcknowledgedBeforeKill, $"only {acknowledged.Count} acknowledged before the kill:\n{bot.Output}");

            await bot.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(workers);
        }

        await using (var restarted = await BotProcess.StartAsync(environment.Cloud, databasePath, workingDirectory))
        {
            Assert.True(await SubmitAsync(restarted, TeamId(0), thisWeek, "after the restart"), restarted.Output);
            acknowledged.Add("after the restart");
            await restarted.StopAsync();
        }

        using var database = new VmDatabase(databasePath);
        var store = new SubmissionStore(database, new AuditLog(database), TimeProvider.System);
        var stored = Enumerable.Range(0, Teams)
            .SelectMany(t => store.History(TeamId(t), weeks[0], thisWeek))
            .SelectMany(w => w.Revisions)
            .Select(r => r.Comment)
            .ToList();

        Assert.All(acknowledged, comment => Assert.Single(stored, s => s == comment));
        Assert.Equal(stored.Count, stored.Distinct().Count());
        // At most the turns in flight at the kill are stored without having been acknowledged.
        Assert.InRange(stored.Count - acknowledged.Count, 0, Workers);
    }

    private static async Task<bool> SubmitAsync(BotProcess bot, string teamId, IsoWeek week, string comment)
    {
        var data = Capture.CaptureTests.FiguresJson(teamId, week.ToString());
        data.Remove("revision"); // based on whatever is stored: the burst amends its own weeks
        data["comment"] = comment;
        using var response = await bot.SendAsync(bot.Activities.Invoke(CaptureVerbs.SubmitWeek, data, TestUser.NurseJones));
        var body = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK && body.Contains(CaptureVerbs.EditWeek, StringComparison.Ordinal);
    }

    private static string TeamId(int index) => $"ward-{index + 1:D2}";

    private static void SeedTeams(string databasePath)
    {
        using var database = new VmDatabase(databasePath);
        new TeamDirectory(database, new AuditLog(database), TimeProvider.System).ReplaceAll(
            [new Board("nhs-highland", "NHS Highland")],
            [new Service("medicine", "Medicine", "nhs-highland")],
            Enumerable.Range(0, Teams).Select(t => new TeamProfile { Id = TeamId(t), Name = $"Ward {t + 1}", ServiceId = "medicine", MeasureSetId = "acute-ward" }).ToList(),
            Enumerable.Range(0, Teams).Select(t => new RoleAssignment(TestUser.NurseJones.AadObjectId, TestUser.NurseJones.Name, Role.DataLead, RoleScopeKind.Team, TeamId(t))).ToList(),
            new Actor("test", "test setup"));
    }
}
