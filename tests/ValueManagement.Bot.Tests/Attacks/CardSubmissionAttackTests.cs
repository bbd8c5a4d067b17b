using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;

namespace ValueManagement.Bot.Tests.Attacks;

/// <summary>
/// Hostile or broken card submissions through /api/messages on the real host: every one gets a clear
/// answer that is not a server error, and nothing is stored.
/// </summary>
public sealed class CardSubmissionAttackTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    // Monday 30 November 2026, 09:14 in London: the open week is 2026-W48.
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

    private static JsonObject Figures(string teamId = TestOrganisation.Ward7, string week = "2026-W48") => Capture.CaptureTests.FiguresJson(teamId, week);

    private static JsonObject InvokeWithValue(BotTestHost host, JsonNode? value)
    {
        var activity = host.Activities.Invoke(CaptureVerbs.SubmitWeek, new { });
        activity["value"] = value;
        return activity;
    }

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(JsonObject activity)
    {
        using var response = await _host.SendAsync(activity);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body);
    }

    private static void AssertClearAnswer(HttpStatusCode status, string body)
    {
        Assert.True((int)status < 500, $"server error {(int)status}: {body}");
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    private void AssertNothingStored()
    {
        foreach (var team in new[] { TestOrganisation.Ward7, TestOrganisation.Ward8 })
        foreach (var week in new[] { "2026-W47", "2026-W48", "2026-W49", "2026-W30" })
            Assert.Equal(0, Store.Load(team, IsoWeek.Parse(week)).LatestRevisionNumber);
    }

    public static TheoryData<string, string> BadNumbers => new()
    {
        { "falls", "\"NaN\"" },
        { "falls", "\"Infinity\"" },
        { "falls", "\"-Infinity\"" },
        { "falls", "\"1e309\"" },
        { "falls", "\"-5\"" },
        { "falls", "\"12abc\"" },
        { "sicknessAbsence", "\"1,5\"" },
        { "sicknessAbsence", "\"\"" },
        { "sicknessAbsence", "\"   \"" },
        { "sicknessAbsence", "\"\\t\\n\"" },
        { "falls", "[1,2]" },
        { "falls", "[]" },
        { "falls", "{\"value\":2}" },
        { "falls", "true" },
        { "falls", "false" },
        { "falls", "null" },
        { "falls", "-5" },
        { "falls", "1e400" },
        { "bankHours", "\"" + new string('9', 20_000) + "\"" },
        { "comment", "\"" + new string('x', 200_000) + "\"" },
    };

    [Theory]
    [MemberData(nameof(BadNumbers))]
    public async Task BadFieldValue_GetsAClearAnswer_AndStoresNothing(string key, string rawJson)
    {
        var figures = Figures();
        figures[key] = JsonNode.Parse(rawJson);

        var (status, body) = await SendAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));

        AssertClearAnswer(status, body);
        Assert.Equal(HttpStatusCode.OK, status);
        var answer = JsonNode.Parse(body)!;
        Assert.Contains("Nothing was saved yet", answer["value"]!.ToJsonString(), StringComparison.Ordinal);
        AssertNothingStored();
    }

    public static TheoryData<string, string> ForgedTargets => new()
    {
        { "teamId", "\"ward-8\"" },
        { "teamId", "\"WARD-8\"" },
        { "teamId", "\"ward-7 \"" },
        { "teamId", "\"no-such-ward\"" },
        { "teamId", "\"\"" },
        { "teamId", "8" },
        { "teamId", "[\"ward-7\",\"ward-8\"]" },
        { "teamId", "{\"id\":\"ward-7\"}" },
        { "teamId", "null" },
        { "week", "\"2026-W30\"" },
        { "week", "\"2026-W99\"" },
        { "week", "\"last week\"" },
        { "week", "\"\"" },
        { "week", "48" },
        { "week", "[\"2026-W48\"]" },
        { "revision", "-1" },
    };

    [Theory]
    [MemberData(nameof(ForgedTargets))]
    public async Task ForgedOrBrokenTarget_IsRefusedClearly_AndStoresNothing(string key, string rawJson)
    {
        var figures = Figures();
        figures[key] = JsonNode.Parse(rawJson);

        var (status, body) = await SendAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));

        AssertClearAnswer(status, body);
        AssertNothingStored();
    }

    // The revision only says which version the form was filled from (for the "someone else changed"
    // notice); a broken one is read as "no earlier version", so valid figures are kept exactly once.
    [Theory]
    [InlineData("\"many\"")]
    [InlineData("1e309")]
    [InlineData("[0]")]
    public async Task BrokenRevision_IsReadAsNoEarlierVersion_AndStoresExactlyOnce(string rawJson)
    {
        var figures = Figures();
        figures["revision"] = JsonNode.Parse(rawJson);

        var (status, body) = await SendAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));

        AssertClearAnswer(status, body);
        Assert.Equal(1, Store.Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48")).LatestRevisionNumber);
    }

    // A comment sent as an array or object (never sent by a Teams client, only by a forged payload)
    // is refused as a whole rather than stored as JSON text or dropped.
    [Theory]
    [InlineData("[\"a\",\"b\"]")]
    [InlineData("{\"nested\":{\"deeper\":[1]}}")]
    public async Task NonStringComment_IsRefused_AndStoresNothing(string rawJson)
    {
        var figures = Figures();
        figures["comment"] = JsonNode.Parse(rawJson);

        var (status, body) = await SendAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));

        AssertClearAnswer(status, body);
        AssertNothingStored();
    }

    [Fact]
    public async Task MissingFields_GetAClearAnswer_AndStoreNothing()
    {
        foreach (var key in new[] { "teamId", "week", "falls", "sicknessAbsence" })
        {
            var figures = Figures();
            figures.Remove(key);
            var (status, body) = await SendAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, figures));
            AssertClearAnswer(status, body);
        }
        var (emptyStatus, emptyBody) = await SendAsync(_host.Activities.Invoke(CaptureVerbs.SubmitWeek, new { }));
        AssertClearAnswer(emptyStatus, emptyBody);
        AssertNothingStored();
    }

    public static TheoryData<string> WrongValueShapes => new()
    {
        "null",
        "\"submitWeek\"",
        "42",
        "true",
        "[]",
        "[{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"submitWeek\"}}]",
        "{}",
        "{\"action\":null}",
        "{\"action\":\"submitWeek\"}",
        "{\"action\":{\"type\":\"Action.Execute\"}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":42,\"data\":{}}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":null,\"data\":{}}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":[\"submitWeek\"],\"data\":{}}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"submitWeek\",\"data\":\"teamId=ward-8\"}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"submitWeek\",\"data\":[1,2,3]}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"submitWeek\",\"data\":null}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"noSuchVerb\",\"data\":{}}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"\",\"data\":{}}}",
        "{\"action\":{\"type\":\"Action.Execute\",\"verb\":\"SUBMITWEEK\",\"data\":{}}}",
    };

    [Theory]
    [MemberData(nameof(WrongValueShapes))]
    public async Task InvokeValueOfTheWrongShape_GetsAClearAnswer_AndStoresNothing(string rawValue)
    {
        var (status, body) = await SendAsync(InvokeWithValue(_host, JsonNode.Parse(rawValue)));

        AssertClearAnswer(status, body);
        AssertNothingStored();
    }

    [Theory]
    [MemberData(nameof(WrongValueShapes))]
    public async Task SubmitValueOfTheWrongShape_GetsAClearAnswer_AndStoresNothing(string rawValue)
    {
        var activity = _host.Activities.Submit(new { });
        activity["value"] = JsonNode.Parse(rawValue);

        var (status, body) = await SendAsync(activity);

        AssertClearAnswer(status, body);
        AssertNothingStored();
    }

    [Theory]
    [InlineData("noSuchVerb")]
    [InlineData("")]
    [InlineData("submitweek")]
    [InlineData("../admin")]
    public async Task SubmitFallbackWithAnUnknownVerb_GetsAClearAnswer_AndStoresNothing(string verb)
    {
        var value = Figures();
        value["verb"] = verb;

        var (status, body) = await SendAsync(_host.Activities.Submit(value));

        AssertClearAnswer(status, body);
        AssertNothingStored();
    }

    [Fact]
    public async Task ForgedTeamInTheSubmitFallback_DoesNotWriteToAnotherTeam()
    {
        var value = Figures(teamId: TestOrganisation.Ward8);
        value["verb"] = CaptureVerbs.SubmitWeek;

        var (status, body) = await SendAsync(_host.Activities.Submit(value, replyToId: "prompt-message-1"));

        AssertClearAnswer(status, body);
        var call = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        Assert.DoesNotContain("submitted by", call.ToString() ?? string.Empty, StringComparison.Ordinal);
        AssertNothingStored();
    }

    [Fact]
    public async Task CommandTextOf100KB_InEveryConversationKind_GetsAnAnswer_AndStoresNothing()
    {
        var text = "submit ward 7 " + new string('7', 100 * 1024);
        foreach (var activity in new[] { _host.Activities.Personal(text), _host.Activities.GroupChat(text), _host.Activities.Channel(text) })
        {
            var (status, body) = await SendAsync(activity);
            AssertClearAnswer(status, body);
        }
        AssertNothingStored();
    }

    [Fact]
    public async Task EmptyBody_Gets400_NotAServerError()
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _host.ValidToken());

        using var response = await client.SendAsync(request);

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"got {(int)response.StatusCode}");
    }
}
