using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Permissions;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.TeamSetup;

/// <summary>The team a command is about, and what was left of its arguments.</summary>
public abstract record TeamChoice
{
    public sealed record Chosen(TeamProfile Team, string Rest) : TeamChoice;

    /// <summary>Not settled: answer with this card (a choice of teams, a guess to confirm, or why none was found).</summary>
    public sealed record Ask(AdaptiveCard Card) : TeamChoice;
}

/// <summary>What a command does with the team it names: a guessed team is good enough to read, not to change.</summary>
public enum TeamUse
{
    Reads,
    /// <summary>The command changes something: a team guessed from a typo is confirmed on a card first.</summary>
    Changes,
}

/// <summary>
/// Works out which team a command means: a name or alias typed at the start of the arguments
/// ("report ward 7 2026-W48"), else the team bound to this channel, else the caller's only team.
/// An exact id, name or alias wins over a typo; a typo is matched, and teams are suggested, only among
/// the teams the caller may see. An ambiguous or unknown name gets a card to choose from, and every
/// button on it carries the rest of the command, so choosing a team runs the whole command.
/// </summary>
public sealed class TeamArguments(TeamDirectory directory, AccessPolicy access)
{
    public const string ChooseTeamVerb = "chooseTeam";
    public const string ChooseOtherTeamVerb = "chooseOtherTeam";
    public const string CancelCommandVerb = "cancelCommand";
    public const string CommandKey = "command";
    public const string TeamKey = "team";
    public const string RestKey = "rest";

    /// <summary>Words beyond the longest team name that are still tried as part of it (a name typed with extra spaces).</summary>
    private const int ExtraNameWords = 2;

    public Task<TeamChoice> ResolveAsync(TurnContext turn, string command, string arguments, CancellationToken cancellationToken) =>
        ResolveAsync(turn, command, arguments, TeamUse.Reads, string.Empty, cancellationToken);

    /// <param name="arguments">The text that starts with the team (or does not name one), e.g. "ward 7 2026-W48".</param>
    /// <param name="carried">The rest of the command that is not part of <paramref name="arguments"/> (e.g. the person in
    /// <c>member add</c>): appended to <see cref="TeamChoice.Chosen.Rest"/> and carried by every button of a card.</param>
    public async Task<TeamChoice> ResolveAsync(TurnContext turn, string command, string arguments, TeamUse use, string carried, CancellationToken cancellationToken)
    {
        var words = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var leading = words.TakeWhile(w => !IsoWeek.LooksLikeWeek(w)).Count();

        if (leading > 0)
        {
            // One read of the directory serves every try; a team name is a few words, so only that many are tried.
            var all = directory.AllTeams();
            var longest = Math.Min(leading, LongestName(all) + ExtraNameWords);
            TeamLookup.Ambiguous? sameName = null;
            for (var take = longest; take >= 1; take--)
            {
                switch (TeamNameResolver.ResolveExact(Join(words, take), all))
                {
                    case TeamLookup.Found found:
                        return new TeamChoice.Chosen(found.Team, Rest(words, take, carried));
                    case TeamLookup.Ambiguous ambiguous when sameName is null:
                        sameName = ambiguous;
                        break;
                }
            }

            var visible = await access.TeamsOfAsync(turn.Caller, cancellationToken);
            var typed = Join(words, leading);
            if (sameName is not null)
            {
                var candidates = sameName.Candidates.Where(c => visible.Any(v => v.Id == c.Id)).ToList();
                if (candidates.Count > 0)
                    return new TeamChoice.Ask(ChooserCard($"\"{Shorten(typed)}\" matches more than one team. Which one?", command, candidates, Rest(words, leading, carried)));
            }

            TeamLookup? firstFailure = null;
            for (var take = longest; take >= 1; take--)
            {
                var lookup = TeamNameResolver.ResolveTypo(Join(words, take), visible);
                if (lookup is TeamLookup.Found guessed)
                {
                    return use == TeamUse.Changes
                        ? new TeamChoice.Ask(ConfirmCard(Join(words, take), command, guessed.Team, Rest(words, take, carried)))
                        : new TeamChoice.Chosen(guessed.Team, Rest(words, take, carried));
                }
                firstFailure ??= lookup;
            }

            return firstFailure switch
            {
                TeamLookup.Ambiguous ambiguous => new TeamChoice.Ask(ChooserCard(
                    $"\"{Shorten(typed)}\" matches more than one team. Which one?", command, ambiguous.Candidates, Rest(words, leading, carried))),
                TeamLookup.NotFound notFound => new TeamChoice.Ask(NotFoundCard(turn.IsPersonal, visible, command, typed, notFound.Suggestions, Rest(words, leading, carried))),
                _ => new TeamChoice.Ask(NotFoundCard(turn.IsPersonal, visible, command, typed, [], Rest(words, leading, carried))),
            };
        }

        var rest = Rest(words, 0, carried);
        if (turn.ChannelThreadId is { } channel && directory.TeamForChannel(channel) is { } bound)
            return new TeamChoice.Chosen(bound, rest);

        var mine = await access.TeamsOfAsync(turn.Caller, cancellationToken);
        return mine.Count switch
        {
            1 => new TeamChoice.Chosen(mine[0], rest),
            0 => new TeamChoice.Ask(NotFoundCard(turn.IsPersonal, mine, command, null, [], rest)),
            _ => new TeamChoice.Ask(ChooserCard($"Which team? (Next time you can type **{command} <team>**.)", command, mine.Take(20).ToList(), rest)),
        };
    }

    /// <summary>The "which team?" card offered instead of a guess: the caller's teams, each button running the whole command.</summary>
    public async Task<AdaptiveCard?> ChooseAmongMineAsync(TurnContext turn, string command, string rest, CancellationToken cancellationToken)
    {
        var mine = await access.TeamsOfAsync(turn.Caller, cancellationToken);
        return mine.Count == 0 ? null : ChooserCard($"Which team? (Next time you can type **{command} <team>**.)", command, mine, rest);
    }

    private static int LongestName(IReadOnlyList<TeamProfile> teams) =>
        teams.SelectMany(t => t.Names).Select(n => n.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length).DefaultIfEmpty(1).Max();

    private static string Join(string[] words, int take) => string.Join(' ', words.Take(take));

    private static string Rest(string[] words, int skip, string carried) =>
        string.Join(' ', words.Skip(skip).Append(carried.Trim()).Where(w => w.Length > 0));

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static Dictionary<string, object?> Rerun(string command, string teamId, string rest) =>
        new() { [CommandKey] = command, [TeamKey] = teamId, [RestKey] = rest };

    private static AdaptiveCard ChooserCard(string question, string command, IReadOnlyList<TeamProfile> teams, string rest) => new()
    {
        Body =
        [
            new TextBlock(question) { Weight = FontWeight.Bolder },
            new ActionSet(teams.Take(6).Select(t => (CardAction)CardActions.Execute(t.Name, ChooseTeamVerb, Rerun(command, t.Id, rest))).ToList()),
            .. teams.Count > 6 ? [new TextBlock($"Not listed? Type **{command} <team name>**.") { IsSubtle = true, Size = TextSize.Small }] : Array.Empty<CardElement>(),
        ],
        FallbackText = question,
    };

    /// <summary>A team guessed from a typo, for a command that changes something: yes, another team, or cancel.</summary>
    private static AdaptiveCard ConfirmCard(string typed, string command, TeamProfile team, string rest)
    {
        var question = $"Did you mean {team.Name}?";
        return new AdaptiveCard
        {
            Body =
            [
                new TextBlock($"Did you mean {team.Name}?") { Weight = FontWeight.Bolder, Size = TextSize.Medium }, // the hole is escaped as markdown
                // Text runs are not markdown: what the user typed is shown as typed.
                new RichTextBlock(
                [
                    new TextRun("There is no team called \""),
                    new TextRun(Shorten(typed)) { Weight = FontWeight.Bolder },
                    new TextRun($"\". This command changes something, so I'm checking before I do it: nothing has changed yet."),
                ]),
                // One button a row: three side by side are cut short on a phone ("Yes, Inpatie…").
                new ActionSet([CardActions.Execute($"Yes, {team.Name}", ChooseTeamVerb, Rerun(command, team.Id, rest), ActionStyle.Positive)]),
                new ActionSet([CardActions.Execute("Choose another team", ChooseOtherTeamVerb, new Dictionary<string, object?> { [CommandKey] = command, [RestKey] = rest })]) { Spacing = Spacing.Small },
                new ActionSet([CardActions.Execute("Cancel", CancelCommandVerb)]) { Spacing = Spacing.Small },
            ],
            FallbackText = $"{question} Type the team's full name to go ahead.",
        };
    }

    private static AdaptiveCard NotFoundCard(bool personalChat, IReadOnlyList<TeamProfile> mine, string command, string? typed, IReadOnlyList<TeamProfile> suggestions, string rest)
    {
        var text = typed is null
            ? mine.Count == 0
                ? personalChat
                    ? $"You're not in any value management team yet, so there is nothing to **{command}** here. An improvement coach or an admin can add you to your team; then type **{command}** again."
                    : "You're not in any value management team yet, and this channel isn't linked to one. A coach or admin can add you."
                : $"Which team? Type **{command} <team name>**."
            : $"I couldn't find a team called \"{CardText.Escape(Shorten(typed))}\".";
        var offer = suggestions.Count > 0 ? suggestions : mine;
        var body = new List<CardElement> { new TextBlock(text) { Weight = FontWeight.Bolder } };
        if (offer.Count > 0)
        {
            body.Add(new TextBlock(suggestions.Count > 0 ? "Did you mean:" : "Your teams:") { Spacing = Spacing.Small });
            body.Add(new ActionSet(offer.Take(6).Select(t => (CardAction)CardActions.Execute(t.Name, ChooseTeamVerb, Rerun(command, t.Id, rest))).ToList()));
        }
        body.Add(new TextBlock("Type **teams** to see every team you can use.") { IsSubtle = true, Size = TextSize.Small });
        return new AdaptiveCard { Body = body, FallbackText = text };
    }
}
