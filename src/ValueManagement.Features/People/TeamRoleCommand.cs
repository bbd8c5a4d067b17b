using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;
using ValueManagement.Core.Text;

namespace ValueManagement.Features.People;

/// <summary>A person named in a role command: their Entra object id, display name and (from Graph) email.</summary>
public sealed record NamedPerson(string AadObjectId, string DisplayName, string? Email = null);

/// <summary>What the team role commands need, in one bag.</summary>
public sealed class RoleCommandServices(TeamDirectory directory, AccessPolicy access, TeamArguments teams, IPeopleDirectory people, AuditLog audit, TimeProvider time)
{
    public TeamDirectory Directory { get; } = directory;
    public AccessPolicy Access { get; } = access;
    public TeamArguments Teams { get; } = teams;
    public IPeopleDirectory People { get; } = people;
    public AuditLog Audit { get; } = audit;
    public TimeProvider Time { get; } = time;
}

/// <summary>
/// <c>&lt;role&gt; add|remove &lt;team&gt; &lt;person&gt;</c>: grants or revokes a team role. The person is an
/// @mention (its entity carries the Entra id), an Entra object id, the name of someone who already
/// holds a role, or a name, email address or UPN looked up in Microsoft Graph. Admins grant every
/// role; a team's coach may add and remove its members and data leads.
/// </summary>
public abstract class TeamRoleCommand(RoleCommandServices services) : IBotCommand
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
            await turn.ReplyAsync($"Use **{Word} add <team> @person** or **{Word} remove <team> @person** (a name or email address works too).", cancellationToken);
            return;
        }
        var verb = words[0].ToLowerInvariant();

        var rest = string.Join(' ', words.Skip(1));
        var allTeams = services.Directory.AllTeams();
        var reference = PersonArguments.Find(turn, rest, services.Directory, text => TeamNameResolver.Resolve(text, allTeams) is TeamLookup.Found);
        if (reference is null)
        {
            await turn.ReplyAsync($"Who? @mention the person or give their email address, for example **{Word} {verb} ward 7 @Sam Smith**.", cancellationToken);
            return;
        }

        TeamProfile team;
        // A card that asks which team carries the person too, so choosing a team finishes the command.
        switch (await services.Teams.ResolveAsync(turn, $"{Word} {verb}", reference.ScopeText, TeamUse.Changes, PersonArguments.AsText(reference), cancellationToken))
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

        // Permission before any Graph lookup: nobody learns who is in the directory without the right to grant.
        var allowed = services.Access.IsAdmin(turn.Caller)
            || (CoachMayGrant && (await services.Access.CheckAsync(turn.Caller, team, TeamPermission.Coach, cancellationToken)).Allowed);
        if (!allowed)
        {
            var who = CoachMayGrant ? $"{team.Name}'s improvement coach or a value management admin" : "a value management admin";
            await turn.ReplyAsync($"Only {who} can {verb} {Plural.Noun(0, Noun)} for {team.Name}.", cancellationToken);
            return;
        }

        var (person, answer) = await PersonArguments.ResolveAsync(reference, services.People, cancellationToken);
        if (person is null)
        {
            await turn.ReplyAsync(answer!, cancellationToken);
            return;
        }

        var assignment = new RoleAssignment(person.AadObjectId, person.DisplayName, Role, RoleScopeKind.Team, team.Id);
        var actor = new Actor(turn.Caller.AadObjectId!, turn.Caller.Name);
        if (adding)
        {
            services.Directory.Grant(assignment, actor);
            var reply = $"Done: **{person.DisplayName}** is now a {Noun} of **{team.Name}**.";
            if (Role == Role.DataLead && services.People.Enabled)
                reply += " " + await InstallAsync(person, team, actor, cancellationToken);
            await turn.ReplyAsync(reply, cancellationToken);
            return;
        }

        var existing = services.Directory.RolesIn(RoleScopeKind.Team, team.Id).FirstOrDefault(r => r.Role == Role && string.Equals(r.AadObjectId, person.AadObjectId, StringComparison.OrdinalIgnoreCase));
        if (existing is null || !services.Directory.Revoke(existing, actor))
        {
            await turn.ReplyAsync($"**{person.DisplayName}** isn't a {Noun} of **{team.Name}**, so nothing changed.", cancellationToken);
            return;
        }
        await turn.ReplyAsync($"Done: **{person.DisplayName}** is no longer a {Noun} of **{team.Name}**.", cancellationToken);
    }

    /// <summary>Data leads are prompted in personal chat: install the bot for them (Graph) and audit it.</summary>
    private async Task<string> InstallAsync(NamedPerson person, TeamProfile team, Actor actor, CancellationToken cancellationToken)
    {
        var installation = await services.People.InstallBotForAsync(person, cancellationToken);
        services.Audit.Append(new AuditEntry
        {
            At = services.Time.GetUtcNow(),
            ActorId = actor.Id,
            ActorName = actor.Name,
            Subject = "person",
            SubjectId = person.AadObjectId,
            Action = installation.Installed ? "install-bot" : "install-bot-failed",
            TeamId = team.Id,
            Changes = [new AuditChange("personalApp", null, installation.Installed ? "installed" : installation.Message)],
        });
        return installation.Message;
    }
}

public sealed class CoachCommand(RoleCommandServices services) : TeamRoleCommand(services)
{
    protected override Role Role => Role.Coach;
    protected override string Word => "coach";
    protected override string Noun => "coach";
    public override CommandInfo Info { get; } = new("coach", "coach add|remove <team> @person", "Add or remove a team's improvement coach; admins") { Order = 70, Audience = CommandAudience.Admins };
}

public sealed class DataLeadCommand(RoleCommandServices services) : TeamRoleCommand(services)
{
    protected override Role Role => Role.DataLead;
    protected override string Word => "datalead";
    protected override string Noun => "data lead";
    protected override bool CoachMayGrant => true;
    public override CommandInfo Info { get; } = new("datalead", "datalead add|remove <team> @person", "Add or remove a team's data lead; coaches and admins") { Order = 71, Audience = CommandAudience.Coaches };
}

public sealed class MemberCommand(RoleCommandServices services) : TeamRoleCommand(services)
{
    protected override Role Role => Role.Member;
    protected override string Word => "member";
    protected override string Noun => "member";
    protected override bool CoachMayGrant => true;
    public override CommandInfo Info { get; } = new("member", "member add|remove <team> @person", "Add or remove a team member who may enter figures; coaches and admins") { Order = 72, Audience = CommandAudience.Coaches };
}
