using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Attacks;

/// <summary>
/// Property tests (CsCheck) over the activity parser and the card-data parser, through the real host:
/// valid activities of every kind the bot handles, mutated at random paths into wrong types, extremes
/// and odd strings, get a clear status (never a 500 or a stack trace), and nothing out of range is ever
/// stored. A failure prints the seed; rerun it with <c>seed:</c> to reproduce.
/// </summary>
public sealed class FuzzedActivityTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    private const int Samples = 250;
    private static readonly HashSet<HttpStatusCode> ClearStatuses =
    [
        HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.RequestEntityTooLarge,
    ];

    private static readonly string[] TrickyStrings =
    [
        "", " ", "NaN", "Infinity", "-Infinity", "1e309", "-1", "-0", "0x10", "1,5", "1 000", "١٢", "12.5.1", "+4", ".5", "5.",
        "2026-W48", "2026-W53", "2025-W53", "2026-W00", "2026-W99", "ward-7", "WARD-8", "ward-8", "../ward-8", "ward-7\u0000",
        "submitWeek", "editWeek", "help", "/report ward 7", "boxscore ward 8", "<at>Value management</at> submit", "💉🩺",
        "CHI 0101010000", "{\"teamId\":\"ward-8\"}", "null", "true", "[]", new string('9', 400), new string('x', 5000),
    ];

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency<JsonNode?>(
        (2, Gen.Const((JsonNode?)null)),
        (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (2, Gen.Long.Select(n => (JsonNode?)JsonValue.Create(n))),
        (2, Gen.Double.Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d))),
        (3, Gen.String.Select(s => (JsonNode?)JsonValue.Create(s))),
        (4, Gen.OneOf(TrickyStrings).Select(s => (JsonNode?)JsonValue.Create(s))));

    private static readonly string[] Keys =
    [
        "type", "id", "text", "value", "name", "from", "conversation", "recipient", "channelData", "serviceUrl", "entities",
        "attachments", "replyToId", "action", "verb", "data", "tenant", "aadObjectId", "teamId", "week", "revision",
        "falls", "sicknessAbsence", "bankHours", "comment", "membersAdded", "conversationType", "channel", "team",
    ];

    private static readonly Gen<JsonNode?> AnyJson = Gen.Recursive<JsonNode?>((depth, inner) => depth >= 3
        ? Scalar
        : Gen.Frequency<JsonNode?>(
            (6, Scalar),
            (1, inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items.Select(i => i?.DeepClone()).ToArray()))),
            (1, Gen.Select(Gen.OneOf(Keys).Array[0, 4], inner.Array[4], (keys, values) =>
            {
                var node = new JsonObject();
                for (var i = 0; i < keys.Length; i++) node[keys[i]] = values[i]?.DeepClone();
                return (JsonNode?)node;
            }))));

    private static readonly Gen<Mutation> AnyMutation = Gen.Select(
        Gen.Int[0, int.MaxValue], Gen.Int[0, 2], Gen.OneOf(Keys), AnyJson,
        (pick, kind, key, value) => new Mutation(pick, (MutationKind)kind, key, value));

    // Monday 30 November 2026, 09:14 in London: the open week is 2026-W48.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = environment.StartHost(
            new Dictionary<string, string?> { ["Bot:AllowedTenants:0"] = TestActivities.TenantId },
            services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task MutatedActivities_AlwaysGetAClearStatus_AndStoreNothingOutOfRange()
    {
        var bases = BaseActivities();
        var gen = Gen.Select(Gen.Int[0, bases.Count - 1], AnyMutation.Array[1, 4], (which, mutations) => (which, mutations));

        await gen.SampleAsync(async (which, mutations) =>
        {
            var activity = bases[which]().DeepClone().AsObject();
            foreach (var mutation in mutations) mutation.ApplyTo(activity);
            activity["id"] = TestActivities.NextId(); // every sample is a fresh delivery, never a duplicate

            using var response = await _host.SendAsync(activity);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(ClearStatuses.Contains(response.StatusCode), $"{(int)response.StatusCode} for {activity.ToJsonString()}: {body}");
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        }, iter: Samples, threads: 1, print: t => t.Item2.Length + " mutations of base " + t.Item1);

        AssertEveryStoredFigureIsInRange();
        using var stillAnswers = await _host.SendAsync(_host.Activities.Personal("help"));
        Assert.Equal(HttpStatusCode.OK, stillAnswers.StatusCode);
    }

    [Fact]
    public async Task SubmitWeekWithAnyData_GetsAnAnswer_AndStoresOnlyValidFigures()
    {
        var measureKeys = Figures().Select(p => p.Key).ToArray();
        var gen = Gen.Select(Gen.OneOf(measureKeys).Array[1, 6], AnyJson.Array[6], Gen.Bool, (keys, values, asSubmit) => (keys, values, asSubmit));

        await gen.SampleAsync(async (keys, values, asSubmit) =>
        {
            var data = Figures();
            for (var i = 0; i < keys.Length; i++) data[keys[i]] = values[i]?.DeepClone();
            var activity = asSubmit
                ? _host.Activities.Submit(new JsonObject { ["verb"] = CaptureVerbs.SubmitWeek, ["data"] = data.DeepClone() }.Merge(data))
                : _host.Activities.Invoke(CaptureVerbs.SubmitWeek, data);

            using var response = await _host.SendAsync(activity);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for {data.ToJsonString()}: {body}");
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        }, iter: Samples, threads: 1, print: t => string.Join(",", t.Item1));

        AssertEveryStoredFigureIsInRange();
    }

    /// <summary>
    /// Weeks of any year the label can hold (0001 to 9999, extremes weighted) and revisions of any size,
    /// typed in every command that takes a week and sent in every card action that carries one: each gets
    /// a plain answer, never the "something went wrong" apology of an unhandled error.
    /// </summary>
    [Fact]
    public async Task ExtremeWeeksAndRevisions_GetAPlainAnswer_NeverAnUnhandledError()
    {
        var year = Gen.Frequency((1, Gen.OneOf(Gen.Const(1), Gen.Const(9999), Gen.Const(1999), Gen.Const(2100))), (2, Gen.Int[1, 9999]), (1, Gen.Int[2000, 2099]));
        var weekText = Gen.Select(year, Gen.Frequency((3, Gen.OneOf(Gen.Const(1), Gen.Const(52), Gen.Const(53))), (1, Gen.Int[0, 99])),
            (y, w) => string.Create(CultureInfo.InvariantCulture, $"{y:D4}-W{w:D2}"));
        var revision = Gen.Frequency((2, Gen.OneOf(Gen.Const(-1), Gen.Const(int.MinValue), Gen.Const(int.MaxValue), Gen.Const(1))), (1, Gen.Int));
        var gen = Gen.Select(weekText, revision, Gen.Int[0, WeekCarriers.Length - 1], (week, rev, which) => (week, rev, which));

        await gen.SampleAsync(async (week, rev, which) =>
        {
            _host.Cloud.ClearCalls();
            var (activity, typed) = WeekCarriers[which](_host.Activities, week, rev);
            activity["id"] = TestActivities.NextId();

            using var response = await _host.SendAsync(activity);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for {activity.ToJsonString()}: {body}");
            var answers = typed ? (await _host.Cloud.WaitForCallsAsync(1)).Select(c => c.Body?.ToJsonString() ?? string.Empty) : [body];
            foreach (var answer in answers)
                Assert.DoesNotContain(ActivityDispatcher.SomethingWentWrong, answer, StringComparison.Ordinal);
        }, iter: Samples, threads: 1, print: t => $"{t.Item1} revision {t.Item2} via {t.Item3}");

        AssertEveryStoredFigureIsInRange();
    }

    private static readonly Func<TestActivities, string, int, (JsonObject Activity, bool Typed)>[] WeekCarriers =
    [
        (a, week, _) => (a.Personal($"boxscore ward 7 {week}", TestUser.NurseJones), true),
        (a, week, _) => (a.Personal($"report ward 7 {week}", TestUser.CoachPatel), true),
        (a, week, _) => (a.Personal($"submit ward 7 {week}", TestUser.NurseJones), true),
        (a, week, _) => (a.Personal($"rollup {week}", TestUser.ManagerMoss), true),
        (a, week, _) => (a.Personal($"missing {week}", TestUser.CoachPatel), true),
        (a, week, revision) => (a.Invoke(CaptureVerbs.SubmitWeek, Figures().Merge(new JsonObject { ["week"] = week, ["revision"] = revision }), TestUser.NurseJones), false),
        (a, _, revision) => (a.Invoke(CaptureVerbs.SubmitWeek, Figures().Merge(new JsonObject { ["revision"] = revision }), TestUser.NurseJones), false),
        (a, week, _) => (a.Invoke(CaptureVerbs.EditWeek, new { teamId = TestOrganisation.Ward7, week }, TestUser.NurseJones), false),
        (a, week, _) => (a.Invoke(BoxScoreVerbs.ShowBoxScore, new { teamId = TestOrganisation.Ward7, week }, TestUser.NurseJones), false),
        (a, week, _) => (a.Invoke(BoxScoreVerbs.ShowReport, new { teamId = TestOrganisation.Ward7, week }, TestUser.CoachPatel), false),
        (a, week, revision) => (a.Invoke(BoxScoreVerbs.RollupMore, new { scope = "service", scopeId = "medicine", week, offset = revision }, TestUser.ManagerMoss), false),
        (a, week, _) => (a.Invoke(RebaseLimitsAction.VerbName, new { teamId = TestOrganisation.Ward7, testId = "P1", week }, TestUser.CoachPatel), false),
    ];

    private List<Func<JsonObject>> BaseActivities() =>
    [
        () => _host.Activities.Personal("help"),
        () => _host.Activities.Personal("submit ward 7", TestUser.NurseJones),
        () => _host.Activities.Channel("boxscore ward 7", TestUser.ManagerMoss),
        () => _host.Activities.Personal("report ward 7", TestUser.CoachPatel),
        () => _host.Activities.Invoke(CaptureVerbs.SubmitWeek, Figures(), TestUser.NurseJones),
        () => _host.Activities.Invoke(CaptureVerbs.EditWeek, new { teamId = TestOrganisation.Ward7, week = "2026-W48" }, TestUser.NurseJones),
        () => _host.Activities.Submit(Figures().Merge(new JsonObject { ["verb"] = CaptureVerbs.SubmitWeek }), TestUser.NurseJones),
        () => _host.Activities.InstallInTeam(),
        () => _host.Activities.InstallPersonal(TestUser.NurseJones),
    ];

    private void AssertEveryStoredFigureIsInRange()
    {
        var store = _host.Services.GetRequiredService<SubmissionStore>();
        var directory = _host.Services.GetRequiredService<TeamDirectory>();
        var sets = _host.Services.GetRequiredService<MeasureSetStore>();
        foreach (var teamId in new[] { TestOrganisation.Ward7, TestOrganisation.Ward8 })
        {
            var set = sets.Find(directory.FindTeam(teamId)!.MeasureSetId) ?? DefaultMeasureSets.AcuteWard;
            foreach (var week in store.History(teamId, IsoWeek.Parse("2025-W01"), IsoWeek.Parse("2027-W01")))
            foreach (var (key, value) in week.Current)
            {
                if (value is not { } figure) continue;
                var measure = set.Find(key);
                Assert.NotNull(measure);
                Assert.True(double.IsFinite(figure) && figure >= measure!.Min && figure <= measure.Max, $"{teamId} {week.Week} {key} = {figure}");
            }
        }
    }

    private static JsonObject Figures() => Capture.CaptureTests.FiguresJson();

    private enum MutationKind { Replace, Remove, Add }

    /// <summary>One change at a node picked by <see cref="Pick"/> among every object in the activity.</summary>
    private sealed record Mutation(int Pick, MutationKind Kind, string Key, JsonNode? Value)
    {
        public void ApplyTo(JsonObject activity)
        {
            var objects = new List<JsonObject>();
            Collect(activity, objects);
            var target = objects[Pick % objects.Count];
            var existing = target.Select(p => p.Key).ToList();
            switch (Kind)
            {
                case MutationKind.Replace when existing.Count > 0:
                    target[existing[Pick % existing.Count]] = Value?.DeepClone();
                    break;
                case MutationKind.Remove when existing.Count > 0:
                    target.Remove(existing[Pick % existing.Count]);
                    break;
                default:
                    target[Key] = Value?.DeepClone();
                    break;
            }
        }

        private static void Collect(JsonNode? node, List<JsonObject> objects)
        {
            switch (node)
            {
                case JsonObject obj:
                    objects.Add(obj);
                    foreach (var (_, child) in obj) Collect(child, objects);
                    break;
                case JsonArray array:
                    foreach (var child in array) Collect(child, objects);
                    break;
            }
        }
    }
}

internal static class JsonObjectMerging
{
    /// <summary>A copy of <paramref name="target"/> with <paramref name="extra"/>'s properties added or replaced.</summary>
    public static JsonObject Merge(this JsonObject target, JsonObject extra)
    {
        var merged = target.DeepClone().AsObject();
        foreach (var (key, value) in extra) merged[key] = value?.DeepClone();
        return merged;
    }
}
