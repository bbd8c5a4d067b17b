using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Improvement;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Improvement;
using ValueManagement.Teams.Routing;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Capture;

/// <summary>
/// What people type that the bot must not keep or must not lose, through /api/messages: a mistyped CHI
/// number is still refused everywhere free text is stored; the form gives back refused figures as typed
/// and refuses powers of ten; a comment someone else changed meanwhile is named; weeks and revisions
/// out of range get a plain answer.
/// </summary>
public sealed class GuardedInputTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    // Monday 30 November 2026, 09:14 in London (GMT): the prompt asks for 2026-W48.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private SubmissionStore Store => _host.Services.GetRequiredService<SubmissionStore>();

    private static readonly IsoWeek W48 = IsoWeek.Parse("2026-W48");

    private async Task<string> SayAsync(string text, TestUser from)
    {
        _host.Cloud.ClearCalls();
        using var response = await _host.SendAsync(_host.Activities.Personal(text, from));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Body?.ToJsonString() ?? string.Empty;
    }

    // 010190 1233 has a wrong check digit (1232 would be right) but starts with a date of birth: still a CHI number.
    [Theory]
    [InlineData("Bed 4: 0101901233 fell twice")]
    [InlineData("Bed 4: 010190 1233 fell twice")]
    [InlineData("Bed 4: 01-01-90-1233 fell twice")]
    public async Task MistypedChiNumber_InTheComment_IsRefused_AndNothingIsStored(string comment)
    {
        var figures = CaptureTests.Figures();
        figures["comment"] = comment;

        var card = (await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures)))!["value"]!.ToJsonString();

        Assert.Contains("a CHI number", card, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved yet", card, StringComparison.Ordinal);
        Assert.Equal(0, Store.Load(TestOrganisation.Ward7, W48).LatestRevisionNumber);
    }

    [Fact]
    public async Task MistypedChiNumber_InAPdsaTitleOrNote_IsRefused_AndNothingIsStored()
    {
        var title = await SayAsync("pdsa ward 7 add Follow up 010190 1233 after the fall", TestUser.CoachPatel);
        Assert.Contains("a CHI number", title, StringComparison.Ordinal);
        Assert.Null(_host.Services.GetRequiredService<TestOfChangeStore>().Find(new TestOfChangeId(1)));

        await SayAsync("pdsa ward 7 add Safety huddle at 14:00", TestUser.CoachPatel);
        var typed = await SayAsync("pdsa P1 cycle do Spoke to 01-01-90-1233 about it", TestUser.NurseJones);
        Assert.Contains("a CHI number", typed, StringComparison.Ordinal);
        var fromCard = await _host.InvokeAsync(_host.Activities.Invoke(PdsaNoteAction.VerbName,
            new { teamId = TestOrganisation.Ward7, testId = "P1", stage = "study", note = "Asked 0101901233 about it." }, TestUser.NurseJones));
        Assert.Contains("a CHI number", fromCard!["value"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Empty(_host.Services.GetRequiredService<TestOfChangeStore>().Find(new TestOfChangeId(1))!.Notes);
    }

    [Theory]
    [InlineData("bankHours", "1,000")]
    [InlineData("sicknessAbsence", "4.8%")]
    [InlineData("falls", "1e309")]
    [InlineData("bankHours", "1.7e2")]
    [InlineData("sicknessAbsence", "1e-320")]
    public async Task RefusedFigure_ComesBackAsTyped_BesideWhy(string key, string typed)
    {
        var figures = CaptureTests.Figures();
        figures[key] = typed;

        var card = (await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures)))!["value"]!;

        var input = Inputs(card).Single(i => i["id"]?.GetValue<string>() == key);
        Assert.Equal(typed, input["value"]?.GetValue<string>());
        Assert.Contains("Nothing was saved yet", card.ToJsonString(), StringComparison.Ordinal);
        // The other figures keep what was typed too.
        Assert.Equal(1, Inputs(card).Single(i => i["id"]?.GetValue<string>() == "pressureUlcers")["value"]!.GetValue<double>());
        Assert.Equal(0, Store.Load(TestOrganisation.Ward7, W48).LatestRevisionNumber);
    }

    [Theory]
    [InlineData("bankHours", "1.7e2", "Bank hours: write the number out in full")]
    [InlineData("sicknessAbsence", "1e-320", "Sickness absence: write the number out in full")]
    [InlineData("falls", "1E1", "Falls: write the number out in full")]
    public async Task ScientificNotation_IsRefusedWithAClearMessage(string key, string typed, string message)
    {
        var figures = CaptureTests.Figures();
        figures[key] = typed;

        var card = (await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures)))!["value"]!.ToJsonString();

        Assert.Contains(message, card, StringComparison.Ordinal);
        Assert.Equal(0, Store.Load(TestOrganisation.Ward7, W48).LatestRevisionNumber);
    }

    [Fact]
    public async Task CommentChangedBySomeoneElse_IsNamedInTheReply()
    {
        var first = CaptureTests.Figures(revision: 0);
        first["comment"] = "Quiet week.";
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, first));
        _time.Advance(TimeSpan.FromMinutes(5));
        var coach = CaptureTests.Figures(revision: 1);
        coach["comment"] = "Two agency shifts cancelled on the day.";
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, coach, TestUser.CoachPatel));
        _time.Advance(TimeSpan.FromMinutes(5));
        // Sister Jones sends her form, still built on revision 1, with its old comment.
        var nurse = CaptureTests.Figures(revision: 1);
        nurse["bankHours"] = "125";

        var card = (await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, nurse)))!["value"]!.ToJsonString();

        Assert.Contains("Comment: Ravi Patel changed it at 09:19; your comment replaced theirs", card, StringComparison.Ordinal);
        Assert.Equal("Quiet week.", Store.Load(TestOrganisation.Ward7, W48).CurrentComment);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public async Task RevisionThatWasNeverStored_GetsAPlainAnswer_AndStoresNothing(int revision)
    {
        var body = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, CaptureTests.Figures(revision: revision)));

        var answer = body!["value"]!.ToJsonString();
        Assert.Contains("names a revision of 2026-W48 that was never stored", answer, StringComparison.Ordinal);
        Assert.DoesNotContain(ActivityDispatcher.SomethingWentWrong, answer, StringComparison.Ordinal);
        Assert.Equal(0, Store.Load(TestOrganisation.Ward7, W48).LatestRevisionNumber);
    }

    [Theory]
    [InlineData("boxscore ward 7 0001-W01")]
    [InlineData("boxscore ward 7 9999-W52")]
    [InlineData("report ward 7 9999-W52")]
    [InlineData("submit ward 7 0001-W01")]
    [InlineData("rollup 9999-W52")]
    [InlineData("missing 0001-W01")]
    public async Task WeekOutOfRange_Typed_GetsAPlainAnswer(string text)
    {
        var reply = await SayAsync(text, TestUser.CoachPatel);

        Assert.Contains("is out of range: weeks from 2000-W01 to 2099-W53 only", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(ActivityDispatcher.SomethingWentWrong, reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001-W01")]
    [InlineData("9999-W52")]
    public async Task WeekOutOfRange_OnACard_GetsAPlainAnswer(string week)
    {
        foreach (var (verb, data) in new (string, object)[]
        {
            (CaptureVerbs.SubmitWeek, CaptureTests.Figures(week: week)),
            (CaptureVerbs.EditWeek, new { teamId = TestOrganisation.Ward7, week }),
            (Features.BoxScores.BoxScoreVerbs.ShowBoxScore, new { teamId = TestOrganisation.Ward7, week }),
            (Features.BoxScores.BoxScoreVerbs.ShowReport, new { teamId = TestOrganisation.Ward7, week }),
        })
        {
            var body = await _host.InvokeAsync(_host.Activities.Invoke(verb, data, TestUser.CoachPatel));
            Assert.DoesNotContain(ActivityDispatcher.SomethingWentWrong, body!.ToJsonString(), StringComparison.Ordinal);
        }
        Assert.Equal(0, Store.Count());
    }

    [Fact]
    public async Task MarkdownOnePersonTyped_ReachesAnotherPersonsCard_AsText()
    {
        const string Link = "[Verify your NHS account](https://evil.example)";
        var nurse = TestUser.NurseJones with { Name = $"Sister Jones {Link}" };
        await SayAsync($"pdsa ward 7 add Safety huddle {Link} for falls", TestUser.CoachPatel);
        await SayAsync($"pdsa P1 cycle do Ran it on **every** shift {Link}", nurse);
        var figures = CaptureTests.Figures();
        figures["comment"] = $"Quiet week. {Link}";
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures, nurse));

        var report = JsonNode.Parse(await SayAsync("report ward 7 2026-W48", TestUser.ManagerMoss))!["attachments"]![0]!["content"]!;
        var coachsForm = (await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.EditWeek, new { teamId = TestOrganisation.Ward7, week = "2026-W48" }, TestUser.CoachPatel)))!["value"]!;

        foreach (var (card, shown) in new[] { (report, "Cycle 1 do: Ran it on \\*\\*every\\*\\* shift \\[Verify"), (coachsForm, "Already submitted by Sister Jones \\[Verify your NHS account\\](https://evil.example)") })
        {
            var texts = MarkdownTexts(card);
            Assert.Contains(texts, t => t.Contains(shown, StringComparison.Ordinal));
            Assert.DoesNotContain(texts, t => t.Contains(Link, StringComparison.Ordinal) || t.Contains("**every**", StringComparison.Ordinal));
        }
    }

    /// <summary>The text of every TextBlock and fact: what Teams renders as markdown.</summary>
    private static List<string> MarkdownTexts(JsonNode card)
    {
        var texts = new List<string>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["type"]?.GetValue<string>() == "TextBlock") texts.Add(obj["text"]!.GetValue<string>());
                    if (obj["facts"] is JsonArray facts)
                        texts.AddRange(facts.SelectMany(f => new[] { f!["title"]!.GetValue<string>(), f["value"]!.GetValue<string>() }));
                    foreach (var (_, child) in obj) Walk(child);
                    break;
                case JsonArray array:
                    foreach (var child in array) Walk(child);
                    break;
            }
        }
        Walk(card);
        return texts;
    }

    private static List<JsonNode> Inputs(JsonNode card)
    {
        var found = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["type"]?.GetValue<string>() is { } type && type.StartsWith("Input.", StringComparison.Ordinal)) found.Add(obj);
                    foreach (var (_, child) in obj) Walk(child);
                    break;
                case JsonArray array:
                    foreach (var child in array) Walk(child);
                    break;
            }
        }
        Walk(card);
        return found;
    }
}
