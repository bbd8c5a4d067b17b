using Microsoft.Extensions.Options;
using ValueManagement.Core.Organisation;
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
/// object id; a caller without one (an anonymous or guest account) may do nothing.
/// </summary>
public sealed class AccessPolicy(TeamDirectory directory, IOptionsMonitor<AccessOptions> options)
{
    public bool IsAdmin(Caller caller) =>
        caller.AadObjectId is { } id && IsAdmin(id, directory.RolesOf(id));

    private bool IsAdmin(string id, IReadOnlyList<RoleAssignment> assignments) =>
        options.CurrentValue.AdminObjectIds.Contains(id, StringComparer.OrdinalIgnoreCase) || assignments.Any(r => r.Role == Role.Admin);

    /// <summary>The roles the caller holds for this team, directly or through its service or board.</summary>
    public IReadOnlySet<Role> RolesFor(Caller caller, TeamProfile team)
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

    public AccessDecision Check(Caller caller, TeamProfile team, TeamPermission permission)
    {
        if (caller.AadObjectId is null)
            return AccessDecision.No("I can't tell who you are (your account has no Microsoft Entra id), so I can't show or change any team's figures.");

        var roles = RolesFor(caller, team);
        var allowed = permission switch
        {
            TeamPermission.View => roles.Count > 0,
            TeamPermission.Submit => roles.Overlaps([Role.Member, Role.DataLead, Role.Coach, Role.Admin]),
            TeamPermission.SubmitLate => roles.Overlaps([Role.Coach, Role.Admin]),
            TeamPermission.Coach => roles.Overlaps([Role.Coach, Role.Admin]),
            TeamPermission.Administer => roles.Contains(Role.Admin),
            _ => false,
        };
        return allowed ? AccessDecision.Yes : AccessDecision.No(Refusal(team, permission));
    }

    public AccessDecision CheckAdmin(Caller caller) =>
        IsAdmin(caller) ? AccessDecision.Yes : AccessDecision.No("Only a value management admin can do that. Ask your improvement coach who your admin is.");

    /// <summary>Which command audiences the caller belongs to, for help: an admin belongs to all of them.</summary>
    public CommandAudience AudienceOf(Caller caller)
    {
        var audience = CommandAudience.Everyone;
        if (caller.AadObjectId is not { } id) return audience;
        if (IsAdmin(caller)) return audience | CommandAudience.TeamPeople | CommandAudience.Coaches | CommandAudience.Managers | CommandAudience.Admins;
        foreach (var assignment in directory.RolesOf(id))
        {
            audience |= CommandAudience.TeamPeople;
            audience |= assignment.Role switch
            {
                Role.Coach => CommandAudience.Coaches,
                Role.Manager => CommandAudience.Managers,
                _ => 0,
            };
        }
        return audience;
    }

    /// <summary>The teams the caller has any role in, for "which team?" questions.</summary>
    public IReadOnlyList<TeamProfile> TeamsOf(Caller caller)
    {
        if (caller.AadObjectId is null) return [];
        if (IsAdmin(caller)) return directory.AllTeams();
        return directory.AllTeams().Where(t => RolesFor(caller, t).Count > 0).ToList();
    }

    private static string Refusal(TeamProfile team, TeamPermission permission) => permission switch
    {
        TeamPermission.View => $"You're not part of {team.Name}, so I can't show its figures. A coach or admin can add you.",
        TeamPermission.Submit => $"Only members, data leads and coaches of {team.Name} (or an admin) can enter its figures. Ask {team.Name}'s coach to add you.",
        TeamPermission.SubmitLate => $"That week is outside {team.Name}'s late-entry window: only its coach or an admin can change it now.",
        TeamPermission.Coach => $"Only {team.Name}'s improvement coach or an admin can do that.",
        _ => "Only a value management admin can do that.",
    };
}
