using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.TeamSetup;

/// <summary>
/// A button on a "which team?" or "did you mean?" card: runs the original command again, with the chosen
/// team and the rest of what was typed. The command checks the presser's permission as if they had typed it.
/// </summary>
public sealed class ChooseTeamAction(IServiceProvider services, TeamDirectory directory) : ICardActionHandler
{
    public string Verb => TeamArguments.ChooseTeamVerb;

    public async Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        var command = CardData.String(request.Data, TeamArguments.CommandKey);
        var teamId = CardData.String(request.Data, TeamArguments.TeamKey);
        var rest = CardData.String(request.Data, TeamArguments.RestKey) ?? string.Empty;
        var table = (CommandTable)services.GetService(typeof(CommandTable))!;
        if (command is null || teamId is null || table.Match(command) is not { } match || directory.FindTeam(teamId) is not { } team)
            return CardActionResult.Say("That team or command no longer exists.");

        // The command word may carry its own first argument ("member add"): the team follows it.
        // Team ids are slugs that the resolver matches exactly, ahead of names and aliases.
        await match.Command.ExecuteAsync(new CommandRequest(request.Turn, match.Word, $"{match.Arguments} {team.Id} {rest}".Trim()), cancellationToken);
        return CardActionResult.Replace(new AdaptiveCard
        {
            Body = [new TextBlock($"{team.Name}: {match.Command.Info.Name}") { IsSubtle = true }],
        });
    }
}

/// <summary>"Choose another team" on a "did you mean?" card: the caller's teams, each button running the whole command.</summary>
public sealed class ChooseOtherTeamAction(TeamArguments teams) : ICardActionHandler
{
    public string Verb => TeamArguments.ChooseOtherTeamVerb;

    public async Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        var command = CardData.String(request.Data, TeamArguments.CommandKey);
        var rest = CardData.String(request.Data, TeamArguments.RestKey) ?? string.Empty;
        if (string.IsNullOrWhiteSpace(command))
            return CardActionResult.Say(ActivityDispatcher.OutOfDateMessage);
        return await teams.ChooseAmongMineAsync(request.Turn, command, rest, cancellationToken) is { } card
            ? CardActionResult.Replace(card)
            : CardActionResult.Say("You're not in any value management team yet, so there is no team to choose. A coach or admin can add you.");
    }
}

/// <summary>"Cancel" on a "did you mean?" card: nothing is done.</summary>
public sealed class CancelCommandAction : ICardActionHandler
{
    public string Verb => TeamArguments.CancelCommandVerb;

    public Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(CardActionResult.Replace(new AdaptiveCard
        {
            Body = [new TextBlock("Cancelled: nothing was changed.") { IsSubtle = true }],
            FallbackText = "Cancelled: nothing was changed.",
        }));
}
