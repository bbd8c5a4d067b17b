using System.Globalization;
using System.Text;
using ValueManagement.Core.Improvement;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Improvement;

/// <summary>
/// Tests of change (PDSA) in conversation:
/// <c>pdsa [team]</c> lists a team's tests; <c>pdsa [team] add &lt;title&gt; [for &lt;measure&gt;]</c> starts one;
/// <c>pdsa P3</c> shows one; <c>pdsa P3 status testing|adopted|adapted|abandoned</c> changes its status;
/// <c>pdsa P3 cycle plan|do|study|act &lt;text&gt;</c> adds a cycle note; <c>pdsa P3 rebase</c> (and
/// <c>rebase undo</c>) starts the measure's limits afresh from the week an adopted change was adopted.
/// Ids carry a P so they never read as a team alias. Anyone in the team may look and write cycle
/// notes; the coach (or an admin) starts tests, decides their status and rebases limits. Free text
/// passes the patient-data guard.
/// </summary>
public sealed class PdsaCommand(TestOfChangeStore store, TeamArguments teams, TeamDirectory directory, MeasureSetStore measureSets, AccessPolicy access, LimitRebasing rebasing) : IBotCommand
{
    private const int Listed = 15;

    public CommandInfo Info { get; } = new("pdsa", "pdsa [team] | pdsa [team] add <title> [for <measure>] | pdsa P1 status adopted | pdsa P1 cycle study <note> | pdsa P1 rebase [undo]",
        "A team's tests of change (PDSA cycles): list, start, note, adopt or abandon; rebase a measure's limits after an adopted change")
    {
        Order = 40,
        Audience = CommandAudience.TeamPeople,
    };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        var words = request.Words;
        if (words.Count > 0 && TestOfChangeId.TryParse(words[0], out var id))
        {
            await turn.ReplyAsync(await OnTestAsync(turn.Caller, id, words.Skip(1).ToList(), request.Arguments, cancellationToken), cancellationToken);
            return;
        }

        var addAt = words.ToList().FindIndex(w => w.Equals("add", StringComparison.OrdinalIgnoreCase));
        var teamText = addAt < 0 ? request.Arguments : string.Join(' ', words.Take(addAt));
        // Starting a test changes the team's record: a guessed team is confirmed, and the card carries the title.
        var adding = addAt < 0 ? string.Empty : string.Join(' ', words.Skip(addAt));
        switch (await teams.ResolveAsync(turn, "pdsa", teamText, addAt < 0 ? TeamUse.Reads : TeamUse.Changes, adding, cancellationToken))
        {
            case TeamChoice.Ask ask:
                await turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            case TeamChoice.Chosen { Team: var team, Rest: var rest }:
                if (addAt < 0 && rest.Length > 0)
                {
                    await turn.ReplyAsync($"I didn't understand \"{rest}\". Use **pdsa {team.Name}** to list, or **pdsa {team.Name} add <title> [for <measure>]** to start a test of change.", cancellationToken);
                    return;
                }
                await turn.ReplyAsync(addAt < 0 ? await ListAsync(turn.Caller, team, cancellationToken) : await AddAsync(turn.Caller, team, string.Join(' ', words.Skip(addAt + 1)), cancellationToken), cancellationToken);
                return;
        }
    }

    private async Task<string> ListAsync(Caller caller, TeamProfile team, CancellationToken cancellationToken)
    {
        if (await access.CheckAsync(caller, team, TeamPermission.View, cancellationToken) is { Allowed: false, Refusal: var refusal }) return refusal!;
        var tests = store.ForTeam(team.Id);
        if (tests.Count == 0) return $"**{team.Name}** has no tests of change yet. Start one: **pdsa {team.Name} add <title> [for <measure>]**.";

        var text = new StringBuilder($"**Tests of change for {team.Name}**\n\n");
        foreach (var test in tests.TestingFirst().Take(Listed))
            text.Append("- ").Append(Summary(test, team)).Append('\n');
        if (tests.Count > Listed) text.Append($"\n…and {tests.Count - Listed} more.");
        return text.ToString();
    }

    private async Task<string> AddAsync(Caller caller, TeamProfile team, string titleText, CancellationToken cancellationToken)
    {
        if (await access.CheckAsync(caller, team, TeamPermission.Coach, cancellationToken) is { Allowed: false })
            return $"Only {team.Name}'s improvement coach or an admin can start a test of change. Anyone in the team can add cycle notes to one.";

        var (title, measureKey, unknownMeasure) = SplitMeasure(team, titleText);
        if (unknownMeasure is not null) return unknownMeasure;
        var outcome = store.Add(team.Id, title, measureKey, ActorOf(caller));
        return outcome.Value is { } created
            ? $"Started **{created.Id}**: {created.Title}{MeasurePart(created, team)} for **{team.Name}**. Add notes with **pdsa {created.Id} cycle plan <what you will try>**."
            : outcome.Refusal!;
    }

    private async Task<string> OnTestAsync(Caller caller, TestOfChangeId id, IReadOnlyList<string> words, string arguments, CancellationToken cancellationToken)
    {
        if (store.Find(id) is not { } test || directory.FindTeam(test.TeamId) is not { } team)
            return $"There is no test of change {id}. Type **pdsa** to list your team's.";

        if (words.Count == 0)
        {
            if (await access.CheckAsync(caller, team, TeamPermission.View, cancellationToken) is { Allowed: false, Refusal: var refusal }) return refusal!;
            return Details(test, team);
        }

        var action = words[0].ToLowerInvariant();
        switch (action)
        {
            case "status":
                if (await access.CheckAsync(caller, team, TeamPermission.Coach, cancellationToken) is { Allowed: false })
                    return $"Only {team.Name}'s improvement coach or an admin can change the status of a test of change.";
                if (words.Count != 2 || !StatusWords.TryParseStatus(words[1], out var status))
                    return $"Use **pdsa {id} status testing**, **adopted**, **adapted** or **abandoned**.";
                var changed = store.SetStatus(test, status, ActorOf(caller));
                return changed.Value is { } now
                    ? $"**{id}** {test.Title} is now **{StatusWords.Describe(now.Status)}**."
                        + (now.Status == TestOfChangeStatus.Adopted && now.MeasureKey is not null ? $" An adopted change is a natural point to rebase the measure's limits; when it has become the way the team works, the coach confirms with **pdsa {id} rebase**." : string.Empty)
                    : changed.Refusal!;
            case "cycle":
                if (await CycleNotes.RefusalAsync(access, caller, team, cancellationToken) is { } cannotNote) return cannotNote;
                if (words.Count < 2 || !StatusWords.TryParseStage(words[1], out var stage))
                    return $"Use **pdsa {id} cycle plan|do|study|act <note>**.";
                return CycleNotes.Add(store, caller, test, stage, NoteText(arguments)).Answer;
            case "rebase" when words.Count == 1:
                return (await rebasing.RebaseAsync(caller, team, test, cancellationToken)).Answer;
            case "rebase" when words.Count == 2 && words[1].Equals("undo", StringComparison.OrdinalIgnoreCase):
                return await rebasing.UndoAsync(caller, team, test, cancellationToken);
            default:
                return $"Use **pdsa {id}** to see it, **pdsa {id} status adopted**, **pdsa {id} cycle study <note>** or **pdsa {id} rebase** (**rebase undo**).";
        }
    }

    /// <summary>The note as typed (spacing kept): everything after "P3 cycle study".</summary>
    private static string NoteText(string arguments)
    {
        var rest = arguments.TrimStart();
        for (var skip = 0; skip < 3; skip++)
        {
            var end = 0;
            while (end < rest.Length && !char.IsWhiteSpace(rest[end])) end++;
            rest = rest[end..].TrimStart();
        }
        return rest;
    }

    /// <summary>
    /// The title and the measure named after its last "for". Words that name no measure are part of the title
    /// ("for night staff"), unless they are a small typo of a measure ("for fallz"): then the answer is why not.
    /// </summary>
    private (string Title, string? MeasureKey, string? Refusal) SplitMeasure(TeamProfile team, string text)
    {
        var at = text.LastIndexOf(" for ", StringComparison.OrdinalIgnoreCase);
        if (at < 0) return (text, null, null);
        var named = text[(at + 5)..].Trim();
        var measures = measureSets.Find(team.MeasureSetId)?.Measures ?? [];
        var measure = measures.FirstOrDefault(m =>
            string.Equals(m.Key, named, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Name, named, StringComparison.OrdinalIgnoreCase));
        if (measure is not null) return (text[..at], measure.Key, null);

        var close = CloseMeasures(measures, named);
        return close.Count == 0
            ? (text, null, null)
            : (text, null, $"{team.Name} has no measure called \"{named}\". Did you mean: {string.Join(", ", close.Select(m => $"**{m.Key}** ({m.Name})"))}? Nothing was started.");
    }

    private static List<MeasureDefinition> CloseMeasures(IReadOnlyList<MeasureDefinition> measures, string named)
    {
        var wanted = named.ToLowerInvariant();
        if (wanted.Length is 0 or > 64) return [];
        var allowed = wanted.Length <= 6 ? 1 : 2;
        bool Close(string candidate)
        {
            var lower = candidate.ToLowerInvariant();
            return Math.Abs(lower.Length - wanted.Length) <= allowed && TeamNameResolver.Distance(lower, wanted) <= allowed;
        }
        return measures.Where(m => Close(m.Key) || Close(m.Name)).Take(3).ToList();
    }

    private string MeasurePart(TestOfChange test, TeamProfile team)
    {
        if (test.MeasureKey is null) return string.Empty;
        var name = measureSets.Find(team.MeasureSetId)?.Measures.FirstOrDefault(m => m.Key == test.MeasureKey)?.Name ?? test.MeasureKey;
        return $" (measure: {name})";
    }

    private string Summary(TestOfChange test, TeamProfile team)
    {
        var latest = test.LatestCycleNotes().LastOrDefault();
        var note = latest is null ? string.Empty : $"; cycle {latest.Cycle} {StatusWords.Describe(latest.Stage)}: {Shorten(latest.Text, 80)}";
        return $"**{test.Id}** {test.Title}{MeasurePart(test, team)}: {StatusWords.Describe(test.Status)} since {test.StatusSince.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}{note}";
    }

    private string Details(TestOfChange test, TeamProfile team)
    {
        var text = new StringBuilder($"{Summary(test, team)}\n\nStarted by {test.CreatedByName}.\n\n");
        foreach (var cycle in test.Notes.GroupBy(n => n.Cycle).OrderBy(g => g.Key).TakeLast(3))
        {
            text.Append($"**Cycle {cycle.Key}**\n");
            foreach (var note in cycle)
                text.Append($"- {StatusWords.Describe(note.Stage)} ({note.At.ToString("d MMM", CultureInfo.GetCultureInfo("en-GB"))}, {note.ByName}): {Shorten(note.Text, 300)}\n");
        }
        return text.ToString();
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    private static Actor ActorOf(Caller caller) => new(caller.AadObjectId!, caller.Name);
}
