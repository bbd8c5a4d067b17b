using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Permissions;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.TeamSetup;

/// <summary>
/// <c>link &lt;team&gt;</c> in a channel binds it to a ward or team (prompts and box scores go
/// there); <c>link service &lt;name&gt;</c> and <c>link board &lt;name&gt;</c> bind a managers'
/// channel for weekly roll-ups. Admins only.
/// </summary>
public sealed class LinkCommand(TeamDirectory directory, TeamArguments teams, AccessPolicy access) : IBotCommand
{
    public CommandInfo Info { get; } = new("link", "link <team> | link service <name> | link board <name>", "Link this channel to a team (or a service or board for roll-ups); admins")
    {
        Order = 80,
        Audience = CommandAudience.Admins,
        Scopes = CommandScopes.Team,
    };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        if (access.CheckAdmin(turn.Caller) is { Allowed: false, Refusal: var refusal })
        {
            await turn.ReplyAsync(refusal!, cancellationToken);
            return;
        }

        if (!turn.IsChannel || turn.ChannelThreadId is not { } channel)
        {
            await turn.ReplyAsync("Use **link** in the team's channel (after @mentioning me), so I know which channel to post in.", cancellationToken);
            return;
        }

        if (request.Words.Count == 0)
        {
            await turn.ReplyAsync("Which team? For example: **link ward 7**, or **link service medicine** for a managers' channel.", cancellationToken);
            return;
        }

        var actor = new Actor(turn.Caller.AadObjectId!, turn.Caller.Name);
        var kind = request.Words[0].ToLowerInvariant() switch
        {
            "service" => RoleScopeKind.Service,
            "board" => RoleScopeKind.Board,
            _ => RoleScopeKind.Team,
        };

        if (kind != RoleScopeKind.Team)
        {
            var name = string.Join(' ', request.Words.Skip(1));
            if (directory.FindScope(kind, name) is not { } scope)
            {
                var known = kind == RoleScopeKind.Service ? directory.AllServices().Select(s => s.Name) : directory.AllBoards().Select(b => b.Name);
                await turn.ReplyAsync($"I couldn't find a {kind.ToString().ToLowerInvariant()} called \"{name}\". Known: {string.Join(", ", known)}.", cancellationToken);
                return;
            }
            directory.LinkScopeChannel(kind, scope.Id, channel, actor);
            await turn.ReplyAsync($"Linked: this channel now gets the weekly roll-up for **{scope.Name}**.", cancellationToken);
            return;
        }

        switch (await teams.ResolveAsync(turn, Info.Name, request.Arguments, TeamUse.Changes, string.Empty, cancellationToken))
        {
            case TeamChoice.Ask ask:
                await turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            case TeamChoice.Chosen { Rest.Length: > 0 } chosen:
                await turn.ReplyAsync($"I couldn't find a team called \"{request.Arguments}\". Did you mean **link {chosen.Team.Name}**? Nothing was linked.", cancellationToken);
                return;
            case TeamChoice.Chosen { Team: var team }:
                directory.LinkChannel(team, channel, turn.Activity.ChannelData?.Team?.AadGroupId, actor);
                await turn.ReplyAsync($"Linked: this channel is now **{team.Name}**'s. I'll post the weekly prompt and the box score here.", cancellationToken);
                return;
        }
    }
}
