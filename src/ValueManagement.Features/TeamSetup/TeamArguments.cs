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

    /// <summary>Not settled: answer with this card (a choice of teams, or why none was found).</summary>
    public sealed record Ask(AdaptiveCard Card) : TeamChoice;
}

/// <summary>
/// Works out which team a command means: a name or alias typed at the start of the arguments
/// ("report ward 7 2026-W48"), else the team bound to this channel, else the caller's only team.
/// An ambiguous or unknown name gets a card to choose from.
/// </summary>
public sealed class TeamArguments(TeamDirectory directory, AccessPolicy access)
{
    public const string ChooseTeamVerb = "chooseTeam";
    public const string CommandKey = "command";
    public const string TeamKey = "team";
    public const string RestKey = "rest";

    public async Task<TeamChoice> ResolveAsync(TurnContext turn, string command, string arguments, CancellationToken cancellationToken)
    {
        var words = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var leading = words.TakeWhile(w => !IsoWeek.LooksLikeWeek(w)).Count();

        if (leading > 0)
        {
            TeamLookup? firstFailure = null;
            for (var take = leading; take >= 1; take--)
            {
                var lookup = directory.Resolve(string.Join(' ', words.Take(take)));
                if (lookup is TeamLookup.Found found)
                    return new TeamChoice.Chosen(found.Team, string.Join(' ', words.Skip(take)));
                firstFailure ??= lookup;
            }

            return firstFailure switch
            {
                TeamLookup.Ambiguous ambiguous => new TeamChoice.Ask(ChooserCard(
                    $"\"{string.Join(' ', words.Take(leading))}\" matches more than one team. Which one?", command, ambiguous.Candidates, string.Join(' ', words.Skip(leading)))),
                TeamLookup.NotFound notFound => new TeamChoice.Ask(await NotFoundCardAsync(turn, command, string.Join(' ', words.Take(leading)), notFound.Suggestions, string.Join(' ', words.Skip(leading)), cancellationToken)),
                _ => new TeamChoice.Ask(await NotFoundCardAsync(turn, command, arguments, [], string.Empty, cancellationToken)),
            };
        }

        if (turn.ChannelThreadId is { } channel && directory.TeamForChannel(channel) is { } bound)
            return new TeamChoice.Chosen(bound, arguments);

        var mine = await access.TeamsOfAsync(turn.Caller, cancellationToken);
        return mine.Count switch
        {
            1 => new TeamChoice.Chosen(mine[0], arguments),
            0 => new TeamChoice.Ask(await NotFoundCardAsync(turn, command, null, [], arguments, cancellationToken)),
            _ => new TeamChoice.Ask(ChooserCard($"Which team? (Next time you can type **{command} <team>**.)", command, mine.Take(20).ToList(), arguments)),
        };
    }

    private static AdaptiveCard ChooserCard(string question, string command, IReadOnlyList<TeamProfile> teams, string rest) => new()
    {
        Body =
        [
            new TextBlock(question) { Weight = FontWeight.Bolder },
            new ActionSet(teams.Take(6).Select(t => (CardAction)CardActions.Execute(t.Name, ChooseTeamVerb,
                new Dictionary<string, object?> { [CommandKey] = command, [TeamKey] = t.Id, [RestKey] = rest })).ToList()),
        ],
        FallbackText = question,
    };

    private async Task<AdaptiveCard> NotFoundCardAsync(TurnContext turn, string command, string? typed, IReadOnlyList<TeamProfile> suggestions, string rest, CancellationToken cancellationToken)
    {
        var mine = await access.TeamsOfAsync(turn.Caller, cancellationToken);
        var text = typed is null
            ? mine.Count == 0
                ? "You're not in any value management team yet, and this channel isn't linked to one. A coach or admin can add you."
                : $"Which team? Type **{command} <team name>**."
            : $"I couldn't find a team called \"{typed}\".";
        var offer = suggestions.Count > 0 ? suggestions : mine;
        var body = new List<CardElement> { new TextBlock(text) { Weight = FontWeight.Bolder } };
        if (offer.Count > 0)
        {
            body.Add(new TextBlock(suggestions.Count > 0 ? "Did you mean:" : "Your teams:") { Spacing = Spacing.Small });
            body.Add(new ActionSet(offer.Take(6).Select(t => (CardAction)CardActions.Execute(t.Name, ChooseTeamVerb,
                new Dictionary<string, object?> { [CommandKey] = command, [TeamKey] = t.Id, [RestKey] = rest })).ToList()));
        }
        body.Add(new TextBlock("Type **teams** to see every team you can use.") { IsSubtle = true, Size = TextSize.Small });
        return new AdaptiveCard { Body = body, FallbackText = text };
    }
}
