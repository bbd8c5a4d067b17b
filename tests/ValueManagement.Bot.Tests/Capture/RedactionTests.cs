using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Improvement;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Improvement;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Capture;

/// <summary>
/// An admin redacts a comment and a PDSA note that hold a patient's details, through /api/messages: the text is
/// gone from every revision, from the audit trail and from storage itself (the LiteDB file's bytes, every
/// PostgreSQL table), the figures and the other notes stay, and the redaction is audited without the text.
/// </summary>
public sealed class RedactionTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    // Names and details no guard can recognise: what a person might still type.
    // Long enough that the week's document spans several of LiteDB's blocks and shrinks when the comments go.
    private static readonly string FirstComment = "Mrs Alberta Quennell in bed 4 fell twice. " + string.Join(" ", Enumerable.Repeat("Night staff short on both shifts.", 25));
    private static readonly string SecondComment = "Mrs Alberta Quennell moved to bay 2 after her falls. " + string.Join(" ", Enumerable.Repeat("Bank cover arranged for the weekend.", 25));
    private const string NoteKept = "Huddle on the day shift for a week";
    private const string NoteRemoved = "Asked Mr Tobias Wetherill in bed 9 about the huddle";

    private static readonly IsoWeek W48 = IsoWeek.Parse("2026-W48");

    private static async Task<string> SayAsync(BotTestHost host, string text, TestUser from)
    {
        host.Cloud.ClearCalls();
        using var response = await host.SendAsync(host.Activities.Personal(text, from));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await host.Cloud.WaitForCallsAsync(1)).Body?["text"]?.GetValue<string>() ?? string.Empty;
    }

    [Fact]
    public async Task AdminRedactsACommentAndANote_TheTextIsGoneFromEveryRevisionTheAuditTrailAndStorage()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
        var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(time));
        try
        {
            TestOrganisation.Seed(host);
            var first = CaptureTests.Figures(revision: 0);
            first["comment"] = FirstComment;
            await host.InvokeAsync(host.Activities.Invoke(CaptureVerbs.SubmitWeek, first));
            time.Advance(TimeSpan.FromMinutes(3));
            var second = CaptureTests.Figures(revision: 1);
            second["comment"] = SecondComment;
            second["falls"] = "3";
            await host.InvokeAsync(host.Activities.Invoke(CaptureVerbs.SubmitWeek, second));
            await SayAsync(host, "pdsa ward 7 add Safety huddle at 14:00 for falls", TestUser.CoachPatel);
            await SayAsync(host, $"pdsa P1 cycle plan {NoteKept}", TestUser.NurseJones);
            await SayAsync(host, $"pdsa P1 cycle do {NoteRemoved}", TestUser.NurseJones);

            Assert.Contains("Only a value management admin", await SayAsync(host, "redact ward 7 2026-W48 comment", TestUser.CoachPatel), StringComparison.Ordinal);
            Assert.Contains("No team is called exactly", await SayAsync(host, "redact wrad 7 2026-W48 comment", TestUser.AdminGrant), StringComparison.Ordinal);
            Assert.Contains("there is no note 3", await SayAsync(host, "redact pdsa P1 note 3", TestUser.AdminGrant), StringComparison.Ordinal);
            Assert.Equal(SecondComment, host.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, W48).CurrentComment);

            Assert.StartsWith("Done", await SayAsync(host, "redact ward 7 2026-W48 comment", TestUser.AdminGrant), StringComparison.Ordinal);
            Assert.StartsWith("Done", await SayAsync(host, "redact pdsa P1 note 2", TestUser.AdminGrant), StringComparison.Ordinal);
            Assert.Contains("no comment stored", await SayAsync(host, "redact ward 7 2026-W48 comment", TestUser.AdminGrant), StringComparison.Ordinal);

            var week = host.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, W48);
            Assert.Equal(2, week.LatestRevisionNumber);
            Assert.All(week.Revisions, r => Assert.Null(r.Comment));
            Assert.Equal(3, week.Current["falls"]);
            var test = host.Services.GetRequiredService<TestOfChangeStore>().Find(new TestOfChangeId(1))!;
            Assert.Equal([NoteKept, "(removed by an admin)"], test.Notes.Select(n => n.Text));

            var audit = host.Services.GetRequiredService<AuditLog>();
            var trail = audit.ForSubject("submission", "ward-7|2026-W48").Concat(audit.ForSubject(TestOfChangeStore.AuditSubject, "P1")).ToList();
            var redactions = trail.Where(e => e.Action.StartsWith("redact", StringComparison.Ordinal)).ToList();
            Assert.Equal(["redact comment", "redact note 2"], redactions.Select(e => e.Action));
            Assert.All(redactions, e => Assert.Equal((TestUser.AdminGrant.AadObjectId, time.GetUtcNow()), (e.ActorId, e.At)));
            Assert.Contains(trail, e => e.Changes.Any(c => c.New == NoteKept));
            Assert.DoesNotContain(trail, e => e.Changes.Any(c => Holds(c.Old) || Holds(c.New)));

            if (TestStorage.IsPostgreSql)
            {
                var connection = TestStorage.SettingsFor(host.DatabasePath).Single(s => s.Key == "Storage:PostgreSql:ConnectionString").Value!;
                Assert.True(await TablesHoldAsync(connection, NoteKept), "the check must see what was kept");
                foreach (var text in new[] { FirstComment, SecondComment, NoteRemoved, "Alberta Quennell", "Tobias Wetherill" })
                    Assert.False(await TablesHoldAsync(connection, text), $"A PostgreSQL table still holds \"{text}\"");
            }
        }
        finally
        {
            await host.DisposeAsync();
        }

        if (!TestStorage.IsPostgreSql)
        {
            // LiteDB keeps changed pages in its log until a checkpoint: read every file of the data file's name.
            var stem = Path.GetFileNameWithoutExtension(host.DatabasePath);
            var bytes = Directory.GetFiles(Path.GetDirectoryName(host.DatabasePath)!, stem + "*")
                .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal))
                .Select(File.ReadAllBytes).ToList();
            Assert.Contains(bytes, b => Contains(b, NoteKept));
            foreach (var text in new[] { FirstComment, SecondComment, NoteRemoved, "Alberta Quennell", "Tobias Wetherill" })
                Assert.DoesNotContain(bytes, b => Contains(b, text));
        }
    }

    private static bool Holds(string? value) =>
        value is not null && (value.Contains("Quennell", StringComparison.Ordinal) || value.Contains("Wetherill", StringComparison.Ordinal));

    private static bool Contains(byte[] file, string text) => file.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    /// <summary>Whether any row of any table of the bot's database holds the text.</summary>
    private static async Task<bool> TablesHoldAsync(string connectionString, string text)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        foreach (var table in tables)
        {
            await using var query = new NpgsqlCommand($"select exists (select 1 from \"{table}\" t where t::text like '%' || @text || '%')", connection);
            query.Parameters.AddWithValue("text", text);
            if (await query.ExecuteScalarAsync() is true) return true;
        }
        return false;
    }
}
