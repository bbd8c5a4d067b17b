using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Improvement;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Bot.Tests.People;

/// <summary>
/// A sustained shift (the SPC shift rule) after an adopted change: the report-out offers the coach the rebase, says
/// why, even when later changes have been adopted since; the rebase is then shown done. Through /api/messages.
/// </summary>
public sealed class RebaseOfferTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    private static readonly IsoWeek Adopted = IsoWeek.Parse("2026-W40");

    // Wednesday 30 September 2026 (2026-W40): the falls huddle is adopted.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 9, 30, 10, 0, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(_host);

        Assert.Contains("Started **P1**", await SayAsync("pdsa ward 7 add Safety huddle at 14:00 for falls"), StringComparison.Ordinal);
        Assert.Contains("now **adopted**", await SayAsync("pdsa P1 status adopted"), StringComparison.Ordinal);
        // Three more changes adopted in the weeks after, for other measures: P1 is no longer one of the latest three.
        string[] others = ["Return-to-work chats for sickness absence", "Second check of insulin doses for medication incidents", "Ward round with families for complaints"];
        for (var i = 0; i < others.Length; i++)
        {
            _time.Advance(TimeSpan.FromDays(7));
            Assert.Contains($"Started **P{i + 2}**", await SayAsync($"pdsa ward 7 add {others[i]}"), StringComparison.Ordinal);
            Assert.Contains("now **adopted**", await SayAsync($"pdsa P{i + 2} status adopted"), StringComparison.Ordinal);
        }

        _time.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)); // Monday: the last completed week is W49
        // Falls around 6 a week for ten weeks, then around 2 for the ten weeks since the huddle was adopted (W40 to W49).
        TestOrganisation.StoreWard7Weeks(_host, IsoWeek.Parse("2026-W49"), [6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 2, 3, 2, 1, 2, 3, 2, 1, 2, 2]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> SayAsync(string text, TestUser? from = null)
    {
        _host.Cloud.ClearCalls();
        using var response = await _host.SendAsync(_host.Activities.Personal(text, from ?? TestUser.CoachPatel));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Body?["text"]?.GetValue<string>() ?? string.Empty;
    }

    private async Task<JsonNode> ReportCardAsync()
    {
        _host.Cloud.ClearCalls();
        using var response = await _host.SendAsync(_host.Activities.Personal("report ward 7", TestUser.CoachPatel));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!;
    }

    private static string Json(string text) => JsonEncodedText.Encode(text).ToString();

    [Fact]
    public async Task ShiftAfterAnOlderAdoptedChange_ReportOutOffersTheRebase_AndSaysWhy_ThenShowsItDone()
    {
        var card = await ReportCardAsync();
        var json = card.ToJsonString();
        Assert.Contains("P1 Safety huddle at 14:00 was adopted in 2026-W40", json, StringComparison.Ordinal);
        Assert.Contains("A sustained shift: 10 weeks in a row below the average since then (the SPC shift rule)", json, StringComparison.Ordinal);
        Assert.Contains("Rebase limits from 2026-W40", json, StringComparison.Ordinal);
        AdaptiveCardSchema.Validate(json).AssertValid("the report-out offering a rebase");

        var pressed = await _host.InvokeAsync(_host.Activities.Invoke(RebaseLimitsAction.VerbName, new JsonObject
        {
            [RebaseLimitsAction.TeamKey] = TestOrganisation.Ward7, [RebaseLimitsAction.TestKey] = "P1", [RebaseLimitsAction.WeekKey] = "2026-W49",
        }, TestUser.CoachPatel));
        var after = pressed!["value"]!.ToJsonString();
        Assert.Contains("Limits rebased from 2026-W40 (confirmed by " + TestUser.CoachPatel.Name + ")", after, StringComparison.Ordinal);
        Assert.DoesNotContain("A sustained shift", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Rebase limits from 2026-W40", after, StringComparison.Ordinal);
        Assert.Equal(Adopted.ToString(), Assert.Single(_host.Services.GetRequiredService<LimitRebaseStore>().ForTeam(TestOrganisation.Ward7)).Week);
    }

    [Fact]
    public async Task AChangeWithoutAShiftSinceIt_IsNotPromoted_OnlyTheLatestThreeAreShown()
    {
        var json = (await ReportCardAsync()).ToJsonString();

        // P2 to P4 are the latest three; their measures have not shifted, so they keep the plain wording.
        Assert.Contains("Limits not rebased yet", json, StringComparison.Ordinal);
        Assert.Contains(Json("P4 Ward round with families was adopted in 2026-W43"), json, StringComparison.Ordinal);
    }
}
