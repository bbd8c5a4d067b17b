using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Demo;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Schema;
using ValueManagement.Teams.Routing;
using static ValueManagement.Features.Cards.GalleryPerson;

namespace ValueManagement.Features.Cards;

/// <summary>One kind of card the bot sends, exactly as it goes to Teams (the attachment's content).</summary>
public sealed record GalleryCard(string Kind, JsonElement Card)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The card JSON: compact as on the wire, or indented for people to read.</summary>
    public string ToJson(bool indented = false) => indented ? JsonSerializer.Serialize(Card, Indented) : JsonSerializer.Serialize(Card);

    /// <summary>The size Teams counts against its limit (compact UTF-8).</summary>
    public int SizeInBytes => System.Text.Encoding.UTF8.GetByteCount(ToJson());

    public AdaptiveCardAttachmentContent ToAttachmentContent() => new(Card);
}

/// <summary>
/// Every kind of card the bot can send, each produced by the bot itself from the demo data: a
/// <see cref="GalleryBot"/> (the real services over an in-memory copy of the demo organisation and
/// its year of figures, on a fixed clock) is sent the message or card action that makes the bot
/// send that card, and the card is taken from what the bot sent. The schema tests check every entry
/// against the official Adaptive Cards schema and the Teams rules, and <c>vm cards --out DIR</c>
/// writes each one to <c>DIR/&lt;kind&gt;.json</c> for the checker and renderer. A card the bot
/// sends but this list lacks is never checked.
/// <para>
/// <b>Adding a card kind</b> takes one entry in <see cref="Entries"/>: what to say or click, and as
/// whom, e.g. <c>new("boxscore", bot =&gt; bot.Say(SisterJones, GalleryPlace.PersonalChat, "boxscore ward 7 2026-W47")),</c>.
/// The kind is lower-case words joined by hyphens, unique, and becomes a file name. Name each
/// variant that changes the layout separately (<c>boxscore-no-figures</c>, <c>prompt-errors</c>).
/// A state the demo data lacks is made the way the bot would meet it (a submission, an import
/// through <see cref="GalleryBot.Extend"/>), not by building the card's model by hand.
/// </para>
/// Each kind gets a fresh bot, so kinds do not depend on one another, and every build gives the same JSON.
/// </summary>
public static partial class CardGallery
{
    private sealed record Entry(string Kind, Func<GalleryBot, JsonElement> Build);

    private const GalleryPlace Chat = GalleryPlace.PersonalChat;
    private const GalleryPlace Channel = GalleryPlace.Channel;
    private static readonly string Week = GalleryBot.PromptWeek.ToString();
    private static readonly string LastWeek = GalleryBot.LastDemoWeek.ToString();

    private static readonly Entry[] Entries =
    [
        new("help", bot => bot.Say(SisterJones, Chat, "help")),
        new("help-unknown-command", bot => bot.Say(SisterJones, Channel, "boxscroe ward 7")),
        new("welcome-team", bot => bot.Install(Channel)),
        new("welcome-personal", bot => bot.Install(Chat)),
        new("choose-team", bot => bot.Say(RaviPatel, Chat, "boxscore")),
        new("team-not-found", bot => bot.Say(SisterJones, Chat, "boxscore ward 9")),
        new("team-chosen", bot => bot.Invoke(RaviPatel, Chat, TeamArguments.ChooseTeamVerb, new Dictionary<string, object?>
        {
            [TeamArguments.CommandKey] = "boxscore", [TeamArguments.TeamKey] = DemoOrganisation.Respiratory, [TeamArguments.RestKey] = string.Empty,
        })),
        new("team-confirm", bot => bot.Say(RaviPatel, Chat, "schedule wrad 7 prompt mon 09:00")),
        new("team-cancelled", bot => bot.Invoke(RaviPatel, Chat, TeamArguments.CancelCommandVerb, new Dictionary<string, object?>())),
        new("prompt", bot => bot.Say(SisterJones, Chat, "submit")),
        new("prompt-amend", bot => bot.Invoke(SisterJones, Chat, CaptureVerbs.EditWeek, TeamWeek(DemoOrganisation.Respiratory, LastWeek))),
        new("prompt-errors", bot => bot.Invoke(SisterJones, Chat, CaptureVerbs.SubmitWeek, WithErrors(LastWeeksFigures(bot, DemoOrganisation.Respiratory)))),
        new("submitted", bot => bot.Invoke(SisterJones, Chat, CaptureVerbs.SubmitWeek, LastWeeksFigures(bot, DemoOrganisation.Respiratory, bot.Typed("Two new starters on nights.")))),
        new("submitted-concurrent", SubmittedAfterSomeoneElse),
        new("boxscore", bot => bot.Say(SisterJones, Chat, $"boxscore ward 7 {LastWeek}")),
        new("boxscore-awaiting-finance", bot => bot.Say(MorarDataLead, Chat, $"boxscore morar {LastWeek}")),
        new("boxscore-no-figures", bot => bot.Say(ChildrensDataLead, Chat, $"boxscore children {Week}")),
        new("boxscore-30-measures", ThirtyMeasureBoxScore),
        new("report", bot => bot.Say(SisterJones, Chat, $"report ward 7 {LastWeek}")),
        new("report-with-tests-of-change", ReportWithTestsOfChange),
        new("report-adopted-change", bot => ReportWithAdoptedChange(bot, rebase: false)),
        new("report-rebased-limits", bot => ReportWithAdoptedChange(bot, rebase: true)),
        new("rollup", bot => bot.Say(BoardManager, Chat, $"rollup {LastWeek}")),
        new("rollup-service", bot => bot.Say(DanaMoss, Chat, $"rollup {DemoOrganisation.MedicalSpecialties} {LastWeek}")),
        new("rollup-large-board", bot => LargeBoard(bot.IsHostile).Say(BoardManager, Chat, $"rollup {LastWeek}")),
        new("rollup-last-page", bot => LargeBoard(bot.IsHostile).Invoke(BoardManager, Chat, BoxScoreVerbs.RollupMore, new Dictionary<string, object?>
        {
            [BoxScoreVerbs.ScopeKey] = "board", [BoxScoreVerbs.ScopeIdKey] = DemoOrganisation.Board, [BoxScoreVerbs.WeekKey] = LastWeek,
            [BoxScoreVerbs.OffsetKey] = 2 * BoxScoreService.RollupPageSize,
        })),
    ];

    static CardGallery()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (!KindPattern().IsMatch(entry.Kind))
                throw new InvalidOperationException($"Card kind '{entry.Kind}' must be lower-case words joined by hyphens: it becomes a file name.");
            if (!seen.Add(entry.Kind))
                throw new InvalidOperationException($"Card kind '{entry.Kind}' is listed twice in the gallery.");
        }
    }

    /// <summary>The kinds, in gallery order.</summary>
    public static IReadOnlyList<string> Kinds { get; } = Entries.Select(e => e.Kind).ToList();

    /// <summary>Builds one kind afresh, with its own bot.</summary>
    /// <param name="hostile">Every name and typed text carries markdown (<see cref="GalleryBot.HostileText"/>), to check it is shown as text.</param>
    public static GalleryCard Build(string kind, bool hostile = false)
    {
        var entry = Entries.FirstOrDefault(e => e.Kind == kind)
            ?? throw new ArgumentException($"No card kind '{kind}'. Known kinds: {string.Join(", ", Kinds)}.", nameof(kind));
        return Run(entry, hostile);
    }

    /// <summary>Builds every kind afresh.</summary>
    public static IEnumerable<GalleryCard> All(bool hostile = false) => Entries.Select(e => Run(e, hostile));

    private static GalleryCard Run(Entry entry, bool hostile)
    {
        using var bot = new GalleryBot(hostile);
        return new GalleryCard(entry.Kind, entry.Build(bot));
    }

    private static Dictionary<string, object?> TeamWeek(string teamId, string week) => new()
    {
        [CaptureVerbs.TeamIdKey] = teamId, [CaptureVerbs.WeekKey] = week,
    };

    /// <summary>
    /// The open week's form filled in as a nurse would: last week's figures, a little different, typed
    /// as Teams sends them (strings), with the revision the form was built on.
    /// </summary>
    private static Dictionary<string, object?> LastWeeksFigures(GalleryBot bot, string teamId, string? comment = null, double change = 1)
    {
        var capture = bot.Get<CaptureService>();
        var team = bot.Get<TeamDirectory>().FindTeam(teamId)!;
        var model = capture.PromptModel(team, GalleryBot.PromptWeek);
        var data = TeamWeek(teamId, Week);
        data[CaptureVerbs.RevisionKey] = model.Submission.LatestRevisionNumber;
        foreach (var measure in model.Measures.Measures.Where(m => m.IsEntered && model.IsDue(m)))
        {
            if (model.LastWeek.GetValueOrDefault(measure.Key) is not { } value) continue;
            var typed = measure.Key is "falls" or "bankHours" ? value + change : value;
            if (measure.Max is { } max) typed = Math.Min(max, typed);
            data[measure.Key] = typed.ToString(CultureInfo.InvariantCulture);
        }
        if (comment is not null) data[PromptCard.CommentKey] = comment;
        return data;
    }

    /// <summary>The mistakes people make: a fraction of a fall, a thousands separator, a required figure left out, a CHI number in the comment.</summary>
    private static Dictionary<string, object?> WithErrors(Dictionary<string, object?> data)
    {
        data["falls"] = "2.5";
        data["bankHours"] = "1,234";
        data.Remove("sicknessAbsence");
        data[PromptCard.CommentKey] = "Bed 4 patient CHI 0101010001 fell twice";
        return data;
    }

    /// <summary>
    /// The coach enters the week; the data lead opens the form; the coach then corrects two figures;
    /// two minutes later the data lead sends her form, built on the coach's first revision, so her
    /// summary names what the coach changed meanwhile.
    /// </summary>
    private static JsonElement SubmittedAfterSomeoneElse(GalleryBot bot)
    {
        var team = DemoOrganisation.CardioEndocrine;
        bot.Invoke(RaviPatel, Chat, CaptureVerbs.SubmitWeek, LastWeeksFigures(bot, team));
        var dataLeadsForm = LastWeeksFigures(bot, team, bot.Typed("Bank hours up: two shifts covered for sickness."), change: 2);
        dataLeadsForm[CaptureVerbs.RevisionKey] = 1;
        var correction = LastWeeksFigures(bot, team, change: 1);
        correction[CaptureVerbs.RevisionKey] = 1;
        correction["falls"] = "4";
        correction["agencyHours"] = "22.5";
        bot.Advance(TimeSpan.FromMinutes(1));
        bot.Invoke(RaviPatel, Chat, CaptureVerbs.SubmitWeek, correction);
        bot.Advance(TimeSpan.FromMinutes(2));
        return bot.Invoke(CardioDataLead, Chat, CaptureVerbs.SubmitWeek, dataLeadsForm);
    }

    /// <summary>A ward on the extended 30-measure set, with a year of figures stored as its data lead would have entered them.</summary>
    /// <summary>The coach starts two tests of change, a nurse notes a study, one is adopted; then the report-out.</summary>
    private static JsonElement ReportWithTestsOfChange(GalleryBot bot)
    {
        foreach (var (who, text) in new[]
        {
            (RaviPatel, $"pdsa ward 7 add {bot.Typed("Safety huddle at 14:00 on every shift")}"),
            (SisterJones, $"pdsa P2 cycle study {bot.Typed("Two falls this week, both on shifts that missed the huddle.")}"),
            (RaviPatel, $"pdsa ward 7 add {bot.Typed("Bed rails checked at every handover")}"),
            (RaviPatel, "pdsa P3 status adopted"),
        })
        {
            var answer = bot.Tell(who, Chat, text);
            if (!answer.Contains("P2", StringComparison.Ordinal) && !answer.Contains("P3", StringComparison.Ordinal))
                throw new InvalidOperationException($"\"{text}\" was answered: {answer}");
        }
        return bot.Say(SisterJones, Chat, $"report ward 7 {LastWeek}");
    }

    /// <summary>
    /// Ten weeks before the report-out, the coach adopts a test of change for falls; the report-out shows it next to the
    /// falls chart, with the button to rebase the limits from that week or, once the coach has, the rebased limits.
    /// </summary>
    private static JsonElement ReportWithAdoptedChange(GalleryBot bot, bool rebase)
    {
        var back = TimeSpan.FromDays(7 * 10);
        bot.Advance(-back);
        foreach (var (who, text) in new[]
        {
            (RaviPatel, $"pdsa ward 7 add {bot.Typed("Safety huddle at 14:00 on every shift")} for falls"),
            (SisterJones, $"pdsa P2 cycle act {bot.Typed("Huddle kept on every shift: falls halved over four weeks.")}"),
            (RaviPatel, "pdsa P2 status adopted"),
        })
        {
            var answer = bot.Tell(who, Chat, text);
            if (!answer.Contains("P2", StringComparison.Ordinal))
                throw new InvalidOperationException($"\"{text}\" was answered: {answer}");
        }
        bot.Advance(back);
        if (rebase && bot.Tell(RaviPatel, Chat, "pdsa P2 rebase") is var rebased && !rebased.StartsWith("Done", StringComparison.Ordinal))
            throw new InvalidOperationException($"\"pdsa P2 rebase\" was answered: {rebased}");
        return bot.Say(SisterJones, Chat, $"report ward 7 {LastWeek}");
    }

    private static JsonElement ThirtyMeasureBoxScore(GalleryBot bot)
    {
        const string teamId = "respiratory-extended";
        var set = BoxScoreSamples.ThirtyMeasureSet;
        var team = new TeamProfile
        {
            Id = teamId, Name = "Inpatient respiratory (extended set)", Aliases = ["ward 7 extended"],
            ServiceId = DemoOrganisation.MedicalSpecialties, MeasureSetId = set.Id,
        };
        var figures = BoxScoreSamples.History(set, weeks: 52, endingWith: GalleryBot.LastDemoWeek)
            .Select(w => new SubmissionBatchItem(teamId, w.Week, new SubmissionProposal(w.Values, null, new Submitter(SisterJones.AadObjectId, SisterJones.Name), 0)));
        bot.Extend(new TeamSetupDocument([], [], [set], [team], [new RoleAssignment(SisterJones.AadObjectId, SisterJones.Name, Role.Member, RoleScopeKind.Team, teamId)]), figures);
        return bot.Say(SisterJones, Chat, $"boxscore {teamId} {LastWeek}");
    }

    /// <summary>
    /// The demo board grown to 45 teams (39 more wards, each with a copy of one of the demo wards' year
    /// of figures), so the roll-up needs three pages. Stored once per process; each use gets its own copy.
    /// </summary>
    private static GalleryBot LargeBoard(bool hostile) => new(LargeBoardFile.Value, hostile);

    private static readonly Lazy<byte[]> LargeBoardFile = new(() =>
    {
        using var bot = new GalleryBot();
        return GrowBoard(bot).DataFile();
    });

    private static GalleryBot GrowBoard(GalleryBot bot)
    {
        var submissions = bot.Get<SubmissionStore>();
        var directory = bot.Get<TeamDirectory>();
        string[] wardsToCopy = [DemoOrganisation.Respiratory, DemoOrganisation.CardioEndocrine, DemoOrganisation.ChildrensWard];
        string[] services = [DemoOrganisation.MedicalSpecialties, DemoOrganisation.MentalHealth, DemoOrganisation.WomenAndChildren];
        var histories = wardsToCopy.ToDictionary(id => id, id => submissions.History(id));
        var teams = new List<TeamProfile>();
        var figures = new List<SubmissionBatchItem>();
        for (var i = 1; i <= 39; i++)
        {
            var source = directory.FindTeam(wardsToCopy[i % wardsToCopy.Length])!;
            var id = $"ward-{i + 10}";
            teams.Add(source with { Id = id, Name = $"Ward {i + 10}", Aliases = [], ServiceId = services[i % services.Length], ChannelConversationId = null });
            figures.AddRange(histories[source.Id].Select(week => new SubmissionBatchItem(id, week.Week,
                new SubmissionProposal(week.Current, null, DemoData.Team, 0))));
        }
        bot.Extend(new TeamSetupDocument([], [], [], teams, []), figures);
        return bot;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex KindPattern();
}
