using System.Text.Json;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.TeamSetup;

/// <summary>A button on a "which team?" card: runs the original command again with the chosen team.</summary>
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

        // Team ids are slugs that the resolver matches exactly, ahead of names and aliases.
        await match.Command.ExecuteAsync(new CommandRequest(request.Turn, match.Word, $"{team.Id} {rest}".Trim()), cancellationToken);
        return CardActionResult.Replace(new AdaptiveCard
        {
            Body = [new TextBlock($"{team.Name}: {match.Command.Info.Name}") { IsSubtle = true }],
        });
    }

}
