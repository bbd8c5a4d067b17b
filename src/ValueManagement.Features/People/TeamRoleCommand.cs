using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.People;

/// <summary>A person named in a role command: their Entra object id and display name.</summary>
public sealed record NamedPerson(string AadObjectId, string DisplayName);

/// <summary>
/// <c>&lt;role&gt; add|remove &lt;team&gt; &lt;person&gt;</c>: grants or revokes a team role. The person is an
/// @mention (its entity carries the Entra id), an Entra object id, or the name of someone who already
/// holds a role. Admins grant every role; a team's coach may add and remove its members and data leads.
/// </summary>
public abstract class TeamRoleCommand(TeamDirectory directory, AccessPolicy access, TeamArguments teams) : IBotCommand
{
    protected abstract Role Role { get; }
    protected abstract string Word { get; }
    protected abstract string Noun { get; }
    protected virtual bool CoachMayGrant => false;

    public abstract CommandInfo Info { get; }

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        var words = request.Words;
        var adding = words.Count > 0 && words[0].Equals("add", StringComparison.OrdinalIgnoreCase);
        var removing = words.Count > 0 && words[0].Equals("remove", StringComparison.OrdinalIgnoreCase);
        if (!adding && !removing)
        {
            await turn.ReplyAsync($"Use **{Word} add <team> @person** or **{Word} remove <team> @person**.", cancellationToken);
            return;
        }

        var rest = string.Join(' ', words.Skip(1));
        var (person, teamText) = PersonArguments.Find(turn, rest, directory);
        if (person is null)
        {
            await turn.ReplyAsync($"Who? @mention the person, for example **{Word} {words[0].ToLowerInvariant()} ward 7 @Sam Smith**.", cancellationToken);
            return;
        }

        TeamProfile team;
        switch (teams.Resolve(turn, $"{Word} {words[0].ToLowerInvariant()}", teamText))
        {
            case TeamChoice.Chosen chosen:
                team = chosen.Team;
                break;
            case TeamChoice.Ask ask:
                await turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            default:
                return;
        }

        var roles = access.RolesFor(turn.Caller, team);
        var allowed = roles.Contains(Role.Admin) || (CoachMayGrant && roles.Contains(Role.Coach));
        if (!allowed)
        {
            var who = CoachMayGrant ? $"{team.Name}'s improvement coach or a value management admin" : "a value management admin";
            await turn.ReplyAsync($"Only {who} can {(adding ? "add" : "remove")} {Noun}s for {team.Name}.", cancellationToken);
            return;
        }

        var assignment = new RoleAssignment(person.AadObjectId, person.DisplayName, Role, RoleScopeKind.Team, team.Id);
        var actor = new Actor(turn.Caller.AadObjectId!, turn.Caller.Name);
        if (adding)
        {
            directory.Grant(assignment, actor);
            await turn.ReplyAsync($"Done: **{person.DisplayName}** is now a {Noun} of **{team.Name}**.", cancellationToken);
            return;
        }

        var existing = directory.RolesIn(RoleScopeKind.Team, team.Id).FirstOrDefault(r => r.Role == Role && string.Equals(r.AadObjectId, person.AadObjectId, StringComparison.OrdinalIgnoreCase));
        if (existing is null || !directory.Revoke(existing, actor))
        {
            await turn.ReplyAsync($"**{person.DisplayName}** isn't a {Noun} of **{team.Name}**, so nothing changed.", cancellationToken);
            return;
        }
        await turn.ReplyAsync($"Done: **{person.DisplayName}** is no longer a {Noun} of **{team.Name}**.", cancellationToken);
    }
}

public sealed class CoachCommand(TeamDirectory directory, AccessPolicy access, TeamArguments teams) : TeamRoleCommand(directory, access, teams)
{
    protected override Role Role => Role.Coach;
    protected override string Word => "coach";
    protected override string Noun => "coach";
    public override CommandInfo Info { get; } = new("coach", "coach add|remove <team> @person", "Add or remove a team's improvement coach; admins") { Order = 70 };
}

public sealed class DataLeadCommand(TeamDirectory directory, AccessPolicy access, TeamArguments teams) : TeamRoleCommand(directory, access, teams)
{
    protected override Role Role => Role.DataLead;
    protected override string Word => "datalead";
    protected override string Noun => "data lead";
    protected override bool CoachMayGrant => true;
    public override CommandInfo Info { get; } = new("datalead", "datalead add|remove <team> @person", "Add or remove a team's data lead; coaches and admins") { Order = 71 };
}

public sealed class MemberCommand(TeamDirectory directory, AccessPolicy access, TeamArguments teams) : TeamRoleCommand(directory, access, teams)
{
    protected override Role Role => Role.Member;
    protected override string Word => "member";
    protected override string Noun => "member";
    protected override bool CoachMayGrant => true;
    public override CommandInfo Info { get; } = new("member", "member add|remove <team> @person", "Add or remove a team member who may enter figures; coaches and admins") { Order = 72 };
}
