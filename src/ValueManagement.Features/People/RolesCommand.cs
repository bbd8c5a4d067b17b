using System.Text;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.People;

/// <summary><c>roles [team]</c>: who holds which role for a team; anyone with a role in the team may look.</summary>
public sealed class RolesCommand(TeamDirectory directory, AccessPolicy access, TeamArguments teams) : IBotCommand
{
    public CommandInfo Info { get; } = new("roles", "roles [team]", "Who is member, data lead, coach and manager of a team") { Order = 60, Audience = CommandAudience.TeamPeople };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        switch (await teams.ResolveAsync(turn, "roles", request.Arguments, cancellationToken))
        {
            case TeamChoice.Ask ask:
                await turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            case TeamChoice.Chosen { Team: var team }:
                if (await access.CheckAsync(turn.Caller, team, TeamPermission.View, cancellationToken) is { Allowed: false, Refusal: var refusal })
                {
                    await turn.ReplyAsync(refusal!, cancellationToken);
                    return;
                }
                await turn.ReplyAsync(Describe(team), cancellationToken);
                return;
        }
    }

    private string Describe(TeamProfile team)
    {
        var service = directory.FindService(team.ServiceId);
        var assignments = directory.RolesIn(RoleScopeKind.Team, team.Id)
            .Concat(directory.RolesIn(RoleScopeKind.Service, team.ServiceId))
            .Concat(service is null ? [] : directory.RolesIn(RoleScopeKind.Board, service.BoardId))
            .ToList();
        var text = new StringBuilder($"**Roles for {team.Name}**\n\n");
        foreach (var (role, label) in new[] { (Role.Coach, "Coaches"), (Role.DataLead, "Data leads"), (Role.Member, "Members"), (Role.Manager, "Managers") })
        {
            var names = assignments.Where(a => a.Role == role).Select(a => a.DisplayName).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();
            text.Append($"- {label}: {(names.Count == 0 ? "none yet" : string.Join(", ", names))}\n");
        }
        return text.ToString();
    }
}
