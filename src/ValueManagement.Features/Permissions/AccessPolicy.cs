using Microsoft.Extensions.Options;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Permissions;

/// <summary>What a person may do with a team's data.</summary>
public enum TeamPermission
{
    /// <summary>Read the team's box score and reports.</summary>
    View,
    /// <summary>Enter the team's weekly figures.</summary>
    Submit,
    /// <summary>Enter figures for weeks older than the late-entry window.</summary>
    SubmitLate,
    /// <summary>Reminders, schedules, tests of change.</summary>
    Coach,
    /// <summary>Bind channels, change setup, grant roles.</summary>
    Administer,
}

/// <summary>The answer to "may they?", with the words to say when not.</summary>
public sealed record AccessDecision(bool Allowed, string? Refusal)
{
    public static readonly AccessDecision Yes = new(true, null);
    public static AccessDecision No(string refusal) => new(false, refusal);
}

/// <summary>
/// The one permission check, used by every command and card action. Identity is the caller's Entra
/// object id; a caller without one (an anonymous or guest account) may do nothing. Roles come from
/// the stored role assignments and, for a team linked to a Teams team, from its Microsoft 365 group:
/// a member of the group is a member of the team, and with <see cref="AccessOptions.TeamOwnersAreManagers"/>
/// an owner of the group is a manager of the team.
/// </summary>
public sealed class AccessPolicy(TeamDirectory directory, GroupMembershipCache groups, ConversationStore conversations, IOptionsMonitor<AccessOptions> options)
{
    /// <summary>How many groups <see cref="TeamsOfAsync"/> reads from Graph at once when they are not cached.</summary>
    private const int ParallelGroupReads = 4;

    public bool IsAdmin(Caller caller) =>
        caller.AadObjectId is { } id && IsAdmin(id, directory.RolesOf(id));

    private bool IsAdmin(string id, IReadOnlyList<RoleAssignment> assignments) =>
        options.CurrentValue.AdminObjectIds.Contains(id, StringComparer.OrdinalIgnoreCase) || assignments.Any(r => r.Role == Role.Admin);

    /// <summary>The roles the caller holds for this team: directly, through its service or board, or through its Microsoft 365 group.</summary>
    public async Task<IReadOnlySet<Role>> RolesForAsync(Caller caller, TeamProfile team, CancellationToken cancellationToken = default)
    {
        var roles = StoredRolesFor(caller, team);
        if (caller.AadObjectId is { } id) AddGroupRoles(roles, id, await groups.GetAsync(GroupOf(team), cancellationToken).ConfigureAwait(false));
        return roles;
    }

    public async Task<AccessDecision> CheckAsync(Caller caller, TeamProfile team, TeamPermission permission, CancellationToken cancellationToken = default)
    {
        if (caller.AadObjectId is not { } id)
            return AccessDecision.No("I can't tell who you are (your account has no Microsoft Entra id), so I can't show or change any team's figures.");

        // Stored roles first: most turns are settled without asking Graph at all.
        var roles = StoredRolesFor(caller, team);
        if (Allows(roles, permission)) return AccessDecision.Yes;
        if (!CouldComeFromGroup(permission) || !AddGroupRoles(roles, id, await groups.GetAsync(GroupOf(team), cancellationToken).ConfigureAwait(false)))
            return AccessDecision.No(Refusal(team, permission));
        return Allows(roles, permission) ? AccessDecision.Yes : AccessDecision.No(Refusal(team, permission));
    }

    /// <param name="what">What the caller asked to do, for the refusal ("add or remove managers"); "do that" when not given.</param>
    public AccessDecision CheckAdmin(Caller caller, string what = "do that") =>
        IsAdmin(caller) ? AccessDecision.Yes : AccessDecision.No($"Only a value management admin can {what}. {WhereAdminsAre(caller)}");

    /// <summary>Who to ask for an admin, fitted to the caller: a coach is told who the admins are, not to ask their coach.</summary>
    private string WhereAdminsAre(Caller caller)
    {
        var isCoach = caller.AadObjectId is { } id && directory.RolesOf(id).Any(r => r.Role == Role.Coach);
        if (!isCoach) return "Ask your improvement coach who your admin is.";
        var admins = directory.AllRoles().Where(r => r.Role == Role.Admin).Select(r => PlainName(r.DisplayName)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return admins.Count == 0
            ? "Your admins are named in the bot's settings (Access:AdminObjectIds): ask whoever runs the bot."
            : $"Ask {(admins.Count == 1 ? "your admin" : "one of your admins")}: {string.Join(", ", admins.Take(5))}.";
    }

    /// <summary>A stored display name with the characters Teams' markdown acts on left out.</summary>
    private static string PlainName(string name) => new(name.Where(c => !char.IsControl(c) && "*_`[]<>#\\|~".IndexOf(c, StringComparison.Ordinal) < 0).ToArray());

    /// <summary>Which command audiences the caller belongs to, for help: an admin belongs to all of them.</summary>
    public async Task<CommandAudience> AudienceOfAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        var audience = CommandAudience.Everyone;
        if (caller.AadObjectId is not { } id) return audience;
        if (IsAdmin(caller)) return audience | CommandAudience.TeamPeople | CommandAudience.Coaches | CommandAudience.Managers | CommandAudience.Admins;
        var assignments = directory.RolesOf(id);
        foreach (var assignment in assignments)
        {
            audience |= CommandAudience.TeamPeople;
            audience |= assignment.Role switch
            {
                Role.Coach => CommandAudience.Coaches,
                Role.Manager => CommandAudience.Managers,
                _ => 0,
            };
        }
        if (assignments.Count == 0 && (await TeamsOfAsync(caller, cancellationToken).ConfigureAwait(false)).Count > 0) audience |= CommandAudience.TeamPeople;
        return audience;
    }

    /// <summary>The teams the caller has any role in (stored or through a team's group), for "which team?" questions.</summary>
    public async Task<IReadOnlyList<TeamProfile>> TeamsOfAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        if (caller.AadObjectId is not { } id) return [];
        if (IsAdmin(caller)) return directory.AllTeams();
        var all = directory.AllTeams();
        var mine = all.Where(t => StoredRolesFor(caller, t).Count > 0).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        if (groups.Enabled)
        {
            var inGroups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var groupOf = all.Where(t => !mine.Contains(t.Id)).Select(t => (t.Id, Group: GroupOf(t))).Where(t => t.Group is not null).ToList();
            var linked = groupOf.Select(t => t.Group!).Distinct(StringComparer.OrdinalIgnoreCase);
            await Parallel.ForEachAsync(linked, new ParallelOptions { MaxDegreeOfParallelism = ParallelGroupReads, CancellationToken = cancellationToken }, async (groupId, token) =>
            {
                if (GroupRoles(id, await groups.GetAsync(groupId, token).ConfigureAwait(false)).Count > 0)
                    lock (inGroups) inGroups.Add(groupId);
            }).ConfigureAwait(false);
            mine.UnionWith(groupOf.Where(t => inGroups.Contains(t.Group!)).Select(t => t.Id));
        }
        return all.Where(t => mine.Contains(t.Id)).ToList();
    }

    /// <summary>
    /// The Microsoft 365 group behind the team's Teams team: the one <c>link</c> stored, else the one the bot saw in its
    /// channel (installed there, or spoken to), for a channel given by a team setup import.
    /// </summary>
    private string? GroupOf(TeamProfile team) =>
        team.AadGroupId ?? (team.ChannelConversationId is { } channel ? conversations.Find(channel)?.TeamAadGroupId : null);

    private HashSet<Role> StoredRolesFor(Caller caller, TeamProfile team)
    {
        var roles = new HashSet<Role>();
        if (caller.AadObjectId is not { } id) return roles;
        // One read of the caller's roles serves both the admin check and the team's roles: this runs on every submission.
        var assignments = directory.RolesOf(id);
        if (IsAdmin(id, assignments)) roles.Add(Role.Admin);
        var service = directory.FindService(team.ServiceId);
        foreach (var assignment in assignments)
        {
            var applies = assignment.ScopeKind switch
            {
                RoleScopeKind.Team => assignment.ScopeId == team.Id,
                RoleScopeKind.Service => assignment.ScopeId == team.ServiceId,
                RoleScopeKind.Board => service is not null && assignment.ScopeId == service.BoardId,
                RoleScopeKind.Everywhere => true,
                _ => false,
            };
            if (applies) roles.Add(assignment.Role);
        }
        return roles;
    }

    /// <summary>Adds what the group grants; false when it grants nothing (no group, Graph unavailable, not in it).</summary>
    private bool AddGroupRoles(HashSet<Role> roles, string id, GroupMembership? membership)
    {
        var granted = GroupRoles(id, membership);
        roles.UnionWith(granted);
        return granted.Count > 0;
    }

    private List<Role> GroupRoles(string id, GroupMembership? membership)
    {
        var roles = new List<Role>(2);
        if (membership is null) return roles;
        if (membership.Members.Contains(id)) roles.Add(Role.Member);
        if (options.CurrentValue.TeamOwnersAreManagers && membership.Owners.Contains(id)) roles.Add(Role.Manager);
        return roles;
    }

    private static bool CouldComeFromGroup(TeamPermission permission) => permission is TeamPermission.View or TeamPermission.Submit;

    private static bool Allows(IReadOnlySet<Role> roles, TeamPermission permission) => permission switch
    {
        TeamPermission.View => roles.Count > 0,
        TeamPermission.Submit => roles.Overlaps([Role.Member, Role.DataLead, Role.Coach, Role.Admin]),
        TeamPermission.SubmitLate => roles.Overlaps([Role.Coach, Role.Admin]),
        TeamPermission.Coach => roles.Overlaps([Role.Coach, Role.Admin]),
        TeamPermission.Administer => roles.Contains(Role.Admin),
        _ => false,
    };

    private static string Refusal(TeamProfile team, TeamPermission permission) => permission switch
    {
        TeamPermission.View => $"You're not part of {team.Name}, so I can't show its figures. A coach or admin can add you.",
        TeamPermission.Submit => $"Only members, data leads and coaches of {team.Name} (or an admin) can enter its figures. Ask {team.Name}'s coach to add you.",
        TeamPermission.SubmitLate => $"That week is outside {team.Name}'s late-entry window: only its coach or an admin can change it now.",
        TeamPermission.Coach => $"Only {team.Name}'s improvement coach or an admin can do that.",
        _ => "Only a value management admin can do that.",
    };
}
