using System.Text.Json;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.BoxScores;

/// <summary>A service or board a roll-up covers.</summary>
public sealed record RollupScope(RoleScopeKind Kind, string Id, string Name);

/// <summary>Loads what a box score, report-out or roll-up needs from storage and works it out.</summary>
/// <param name="rebases">The coaches' confirmed rebases of limits; null (tools, benchmarks) computes limits over the whole history.</param>
public sealed class BoxScoreService(
    TeamDirectory directory,
    MeasureSetStore measureSets,
    SubmissionStore submissions,
    AccessPolicy access,
    TimeProvider time,
    LimitRebaseStore? rebases = null)
{
    /// <summary>
    /// Teams per roll-up card; the rest come with "more". 15, not 20: a page carries both the table and the stacked
    /// list (see <see cref="RollupCard"/>), and 20 teams with both came to about 27 KB, over our 26 KB budget.
    /// </summary>
    public const int RollupPageSize = 15;

    /// <summary>The week a box score shows unless one is named: the last completed week in the team's time zone.</summary>
    public IsoWeek DefaultWeek(TeamProfile team) => CaptureService.ClockFor(team).LastCompletedWeek(time.GetUtcNow());

    public BoxScore Compute(TeamProfile team, IsoWeek week, BoxScoreOptions? options = null)
    {
        var set = measureSets.Find(team.MeasureSetId)
            ?? throw new InvalidOperationException($"Team {team.Id} uses measure set '{team.MeasureSetId}', which does not exist.");
        if (rebases?.WeeksByMeasure(team.Id) is { Count: > 0 } rebasedFrom)
            options = (options ?? BoxScoreOptions.Default) with { RebasedFrom = rebasedFrom };
        return BoxScoreCalculator.Compute(set, week, History(team.Id, week), options);
    }

    private IReadOnlyList<WeekValues> History(string teamId, IsoWeek week) => submissions.CurrentValues(teamId, week);

    /// <summary>The team and week a card's data names, if the team still exists and the week is a week.</summary>
    public (TeamProfile Team, IsoWeek Week)? FromCardData(JsonElement data)
    {
        var teamId = CardData.String(data, BoxScoreVerbs.TeamIdKey);
        if (teamId is null || directory.FindTeam(teamId) is not { } team || !IsoWeek.TryParse(CardData.String(data, BoxScoreVerbs.WeekKey), out var week))
            return null;
        return (team, week);
    }

    /// <summary>
    /// The service or board a roll-up is for: the one named, else the only one the caller manages. Null with the words
    /// to say when it cannot be settled or the caller may not see it.
    /// </summary>
    public (RollupScope? Scope, string? Problem) ResolveScope(Caller caller, string text)
    {
        RollupScope? scope;
        if (!string.IsNullOrWhiteSpace(text))
        {
            var found = directory.FindScope(RoleScopeKind.Service, text) ?? directory.FindScope(RoleScopeKind.Board, text);
            if (found is not { } f)
            {
                // Only the roll-ups the caller may read are offered: the list of services and boards is not for everyone.
                var mayView = directory.AllServices().Select(s => new RollupScope(RoleScopeKind.Service, s.Id, s.Name))
                    .Concat(directory.AllBoards().Select(b => new RollupScope(RoleScopeKind.Board, b.Id, b.Name)))
                    .Where(s => MayView(caller, s))
                    .Select(s => s.Name)
                    .Take(20)
                    .ToList();
                var shown = text.Trim().Length <= 60 ? text.Trim() : text.Trim()[..60] + "…";
                return (null, mayView.Count == 0
                    ? $"I couldn't find a service or board called \"{shown}\" whose roll-up you can see. Managers of a service or board (and admins) can see its roll-up."
                    : $"I couldn't find a service or board called \"{shown}\". Try one of: {string.Join(", ", mayView)}.");
            }
            scope = new RollupScope(f.Kind, f.Id, f.Name);
        }
        else
        {
            var managed = ManagedScopes(caller);
            if (managed.Count == 1) scope = managed[0];
            else if (managed.Count == 0 && access.IsAdmin(caller) && directory.AllBoards() is [var board]) scope = new RollupScope(RoleScopeKind.Board, board.Id, board.Name);
            else
            {
                return (null, managed.Count == 0
                    ? "Which service or board? Type **rollup <service>** or **rollup <board>**."
                    : $"Which one? You manage {string.Join(", ", managed.Select(m => m.Name))}: type **rollup <name>**.");
            }
        }

        return MayView(caller, scope) ? (scope, null) : (null, $"Only managers of {scope.Name} (or an admin) can see its roll-up.");
    }

    public RollupScope? FindScope(string kind, string id) =>
        Enum.TryParse<RoleScopeKind>(kind, ignoreCase: true, out var k) && directory.FindScope(k, id) is { } f ? new RollupScope(f.Kind, f.Id, f.Name) : null;

    /// <summary>A manager of the service or of its board, or an admin.</summary>
    public bool MayView(Caller caller, RollupScope scope)
    {
        if (caller.AadObjectId is not { } id) return false;
        if (access.IsAdmin(caller)) return true;
        var boardOfService = scope.Kind == RoleScopeKind.Service ? directory.FindService(scope.Id)?.BoardId : null;
        return directory.RolesOf(id).Any(r => r.Role == Role.Manager
            && ((r.ScopeKind == scope.Kind && r.ScopeId == scope.Id)
                || (r.ScopeKind == RoleScopeKind.Board && r.ScopeId == boardOfService)
                || r.ScopeKind == RoleScopeKind.Everywhere));
    }

    private List<RollupScope> ManagedScopes(Caller caller)
    {
        if (caller.AadObjectId is not { } id) return [];
        return directory.RolesOf(id)
            .Where(r => r.Role == Role.Manager && r.ScopeId is not null && r.ScopeKind is RoleScopeKind.Service or RoleScopeKind.Board)
            .Select(r => directory.FindScope(r.ScopeKind, r.ScopeId!))
            .Where(f => f is not null)
            .Select(f => new RollupScope(f!.Value.Kind, f.Value.Id, f.Value.Name))
            .Distinct()
            .ToList();
    }

    /// <summary>The scope's teams and the week: the last completed week in the first team's time zone unless named.</summary>
    public Rollup Rollup(RollupScope scope, IsoWeek? week = null)
    {
        var services = directory.AllServices()
            .Where(s => scope.Kind == RoleScopeKind.Board ? s.BoardId == scope.Id : s.Id == scope.Id)
            .ToDictionary(s => s.Id);
        var teams = directory.AllTeams().Where(t => services.ContainsKey(t.ServiceId)).ToList();
        var forWeek = week ?? (teams.Count > 0 ? DefaultWeek(teams[0]) : TeamClock.Default.LastCompletedWeek(time.GetUtcNow()));
        // One read per measure set, not per team: teams share a few sets, and a shared instance also keeps the set's
        // parsed formulas (cached per instance) from being parsed again for every team.
        var sets = new Dictionary<string, MeasureSet?>(StringComparer.Ordinal);
        MeasureSet? SetOf(string id) => sets.TryGetValue(id, out var set) ? set : sets[id] = measureSets.Find(id);
        var withSets = teams.Select(t => (Team: t, Set: SetOf(t.MeasureSetId))).Where(x => x.Set is not null).ToList();
        var teamIds = withSets.Select(x => x.Team.Id).ToList();
        var histories = submissions.CurrentValues(teamIds, forWeek);
        var rebasedFrom = rebases?.WeeksByMeasure(teamIds);
        var inputs = withSets
            .Select(x => new RollupTeam(x.Team.Id, x.Team.Name, x.Team.ServiceId, services[x.Team.ServiceId].Name, x.Set!, histories[x.Team.Id],
                rebasedFrom?.GetValueOrDefault(x.Team.Id)))
            .ToList();
        return RollupCalculator.Compute(inputs, forWeek);
    }

}
