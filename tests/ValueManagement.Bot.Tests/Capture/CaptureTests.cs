using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Capture;

/// <summary>The weekly form end to end through /api/messages: the card, the invoke and submit paths, validation and storage.</summary>
public sealed class CaptureTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
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

    internal static Dictionary<string, object?> Figures(string teamId = TestOrganisation.Ward7, string week = "2026-W48", int revision = 0) => new()
    {
        ["teamId"] = teamId,
        ["week"] = week,
        ["revision"] = revision,
        ["falls"] = "2",
        ["fallsWithHarm"] = "0",
        ["pressureUlcers"] = "1",
        ["medicationIncidents"] = "1",
        ["complaints"] = "0",
        ["sicknessAbsence"] = "4.5",
        ["bankHours"] = "120",
        ["agencyHours"] = "0",
        ["vacanciesWte"] = "2.4",
        ["patientsAdmitted"] = "28",
        ["occupiedBedDays"] = "190",
        ["dischargesBeforeNoon"] = "32",
        ["comment"] = "Quiet week.",
    };

    /// <summary>The same filled-in form as JSON, for tests that change or break parts of it.</summary>
    internal static System.Text.Json.Nodes.JsonObject FiguresJson(string teamId = TestOrganisation.Ward7, string week = "2026-W48", int revision = 0) =>
        System.Text.Json.JsonSerializer.SerializeToNode(Figures(teamId, week, revision))!.AsObject();

    [Fact]
    public async Task SubmitCommand_RepliesWithTheFormForLastWeek()
    {
        await _host.SendAsync(_host.Activities.Personal("submit ward 7"));

        var call = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        var card = call.Card!.ToJsonString();
        Assert.Contains("2026-W48", card, StringComparison.Ordinal);
        Assert.Contains("\"Input.Number\"", card, StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"submitWeek\"", card, StringComparison.Ordinal);
        Assert.Contains("awaiting finance data", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ValidFigures_AreStoredAndAudited_BeforeTheSummaryComesBack()
    {
        var body = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures()));

        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());
        var card = body["value"]!.ToJsonString();
        Assert.Contains("submitted by Sister Jones at 09:14", card, StringComparison.Ordinal);
        var week = Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48"));
        Assert.Equal(1, week.LatestRevisionNumber);
        Assert.Equal(4.5, week.Current["sicknessAbsence"]);
        Assert.Equal(TestUser.NurseJones.AadObjectId, week.Latest!.By.ObjectId);
        var audit = _host.Services.GetRequiredService<AuditLog>().ForSubject("submission", "ward-7|2026-W48");
        Assert.Contains(audit.Single().Changes, c => c.Field == "falls" && c.Old is null && c.New == "2");
    }

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "falls", "abc", "Falls" },
        { "falls", "2.5", "whole number" },
        { "falls", "-1", "between" },
        { "falls", "NaN", "Falls" },
        { "falls", "Infinity", "Falls" },
        { "falls", "1e309", "Falls" },
        { "bankHours", "1,234", "without commas" },
        { "sicknessAbsence", "", "Sickness absence" },
        { "comment", "Patient 943 476 5919 fell twice", "patient" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task Invoke_BadValue_ReturnsTheFormWithTheProblemNamed_AndStoresNothing(string key, string value, string expected)
    {
        var figures = Figures();
        figures[key] = value;

        var body = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));

        var card = body!["value"]!.ToJsonString();
        Assert.Contains("Nothing was saved yet", card, StringComparison.Ordinal);
        Assert.Contains(expected, card, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"id\":\"bankHours\"", card, StringComparison.Ordinal);
        Assert.Equal(0, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48")).LatestRevisionNumber);
    }

    [Fact]
    public async Task Invoke_ForgedTeamId_DoesNotLetAMemberWriteToAnotherTeam()
    {
        var body = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures(teamId: TestOrganisation.Ward8)));

        Assert.Equal("application/vnd.microsoft.activity.message", body!["type"]!.GetValue<string>());
        Assert.Contains("Only members", body["value"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, Store.Load(TestOrganisation.Ward8, IsoWeek.Parse("2026-W48")).LatestRevisionNumber);
    }

    [Fact]
    public async Task Invoke_StrangerWithNoRole_IsRefused()
    {
        var body = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures(), from: TestUser.Stranger));
        Assert.Equal("application/vnd.microsoft.activity.message", body!["type"]!.GetValue<string>());
        Assert.Equal(0, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48")).LatestRevisionNumber);
    }

    [Theory]
    
    [InlineData("2026-W43", true)]
    [InlineData("2026-W44", false)]
    [InlineData("2026-W50", true)]
    public async Task Invoke_WeekOutsideTheWindow_IsRefusedForAMember(string week, bool refused)
    {
        var body = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures(week: week)));
        Assert.Equal(refused, body!["type"]!.GetValue<string>() == "application/vnd.microsoft.activity.message");
        Assert.Equal(refused ? 0 : 1, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse(week)).LatestRevisionNumber);
    }

    [Fact]
    public async Task Invoke_OldWeek_IsAllowedForTheCoach()
    {
        var body = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures(week: "2026-W30"), from: TestUser.CoachPatel));
        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());
        Assert.Equal(1, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W30")).LatestRevisionNumber);
    }

    [Fact]
    public async Task DoubleClick_StoresOneRevision()
    {
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures()));
        _time.Advance(TimeSpan.FromSeconds(3));
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures()));

        Assert.Equal(1, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48")).LatestRevisionNumber);
    }

    [Fact]
    public async Task Amendment_StoresANewRevision_AndKeepsTheOld()
    {
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures()));
        _time.Advance(TimeSpan.FromMinutes(5));
        var changed = Figures(revision: 1);
        changed["falls"] = "3";
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, changed));

        var week = Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48"));
        Assert.Equal(2, week.LatestRevisionNumber);
        Assert.Equal(3, week.Current["falls"]);
        Assert.Equal(2, week.ValuesAfter(1)["falls"]);
    }

    [Fact]
    public async Task TwoPeopleAtOnce_BothAreKept_AndTheSecondIsToldWhatChanged()
    {
        var fromNurse = Figures(revision: 0);
        var fromCoach = Figures(revision: 0);
        fromCoach["falls"] = "4";
        fromNurse["bankHours"] = "130";

        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, fromNurse));
        var second = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, fromCoach, from: TestUser.CoachPatel));

        var week = Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48"));
        Assert.Equal(2, week.LatestRevisionNumber);
        Assert.Equal(4, week.Current["falls"]);
        var card = second!["value"]!.ToJsonString();
        Assert.Contains("someone else changed", card, StringComparison.Ordinal);
        Assert.Contains("Sister Jones", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentSubmitters_NothingIsLost()
    {
        var people = new[] { TestUser.NurseJones, TestUser.CoachPatel, TestUser.AdminGrant };
        var tasks = Enumerable.Range(0, 12).Select(i =>
        {
            var figures = Figures();
            figures["bankHours"] = (100 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures, from: people[i % 3]));
        });
        var answers = await Task.WhenAll(tasks);

        Assert.All(answers, a => Assert.Equal("application/vnd.microsoft.card.adaptive", a!["type"]!.GetValue<string>()));
        Assert.Equal(12, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48")).LatestRevisionNumber);
    }

    [Fact]
    public async Task SubmitFallback_UpdatesTheCardInPlace()
    {
        var value = Figures();
        value["verb"] = CaptureVerbs.SubmitWeek;

        using var response = await _host.SendAsync(_host.Activities.Submit(value, replyToId: "prompt-message-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        Assert.Equal("PUT", call.Method);
        Assert.Equal("prompt-message-1", call.ActivityId);
        Assert.Contains("submitted by Sister Jones", call.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48")).LatestRevisionNumber);
    }

    [Fact]
    public async Task UnknownKeys_AreIgnored()
    {
        var figures = Figures();
        figures["totalCost"] = "1"; // derived: never taken from the form
        figures["somethingElse"] = "x";
        await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));

        var week = Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48"));
        Assert.False(week.Current.ContainsKey("totalCost"));
        Assert.False(week.Current.ContainsKey("somethingElse"));
    }

    [Fact]
    public async Task RestartDuringARunOfSubmissions_LosesNothingAcknowledged()
    {
        var database = _host.DatabasePath;
        var acknowledged = 0;
        for (var i = 0; i < 10; i++)
        {
            var figures = Figures(week: "2026-W47");
            figures["bankHours"] = (200 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _time.Advance(TimeSpan.FromSeconds(11));
            var answer = await _host.InvokeAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));
            if (answer!["type"]!.GetValue<string>() == "application/vnd.microsoft.card.adaptive") acknowledged++;
        }
        await _host.DisposeAsync();

        _host = environment.StartHost(databasePath: database, configureServices: services => services.AddSingleton<TimeProvider>(_time));
        var week = _host.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W47"));
        Assert.Equal(acknowledged, week.LatestRevisionNumber);
        Assert.Equal(209, week.Current["bankHours"]);
    }
}
