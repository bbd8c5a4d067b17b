using System.Text;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.People;

/// <summary><c>teams</c>: the teams the caller can see, with their role in each and whether a channel is linked.</summary>
public sealed class TeamsCommand(TeamDirectory directory, AccessPolicy access) : IBotCommand
{
    private const int Shown = 40;

    public CommandInfo Info { get; } = new("teams", "teams", "List the teams you can see, and your role in each") { Order = 50 };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Turn.Caller;
        var teams = await access.TeamsOfAsync(caller, cancellationToken);
        if (teams.Count == 0)
        {
            await request.Turn.ReplyAsync(caller.AadObjectId is null
                ? "I can't tell who you are (your account has no Microsoft Entra id), so I can't list any teams."
                : "You're not in any value management team yet. Your improvement coach or an admin can add you.", cancellationToken);
            return;
        }

        var services = directory.AllServices().ToDictionary(s => s.Id, s => s.Name);
        var text = new StringBuilder($"**Your teams** ({teams.Count})\n\n");
        foreach (var team in teams.Take(Shown))
        {
            var roles = (await access.RolesForAsync(caller, team, cancellationToken)).Order().Select(Label);
            var service = services.GetValueOrDefault(team.ServiceId, team.ServiceId);
            var channel = team.ChannelConversationId is null ? "no channel linked" : "channel linked";
            var aliases = team.Aliases.Count == 0 ? string.Empty : $" (also {string.Join(", ", team.Aliases)})";
            text.Append($"- **{team.Name}**{aliases}: {service}; you: {string.Join(", ", roles)}; {channel}\n");
        }
        if (teams.Count > Shown) text.Append($"\n…and {teams.Count - Shown} more. Type **roles <team>** for one team's people.");
        await request.Turn.ReplyAsync(text.ToString(), cancellationToken);
    }

    private static string Label(Role role) => role switch
    {
        Role.DataLead => "data lead",
        _ => role.ToString().ToLowerInvariant(),
    };
}
