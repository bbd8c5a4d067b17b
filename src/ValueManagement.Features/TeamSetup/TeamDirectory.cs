using LiteDB;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.TeamSetup;

/// <summary>Boards, services, teams and who holds which role: read by every feature, changed by admins.</summary>
public sealed class TeamDirectory(VmDatabase database, AuditLog audit, TimeProvider time)
{
    private ILiteCollection<Board> Boards => database.Collection<Board>(Collections.Boards);
    private ILiteCollection<Service> Services => database.Collection<Service>(Collections.Services);
    private ILiteCollection<TeamProfile> Teams => database.Collection<TeamProfile>(Collections.Teams);
    private ILiteCollection<StoredRole> Roles => database.Collection<StoredRole>(Collections.Roles);
    private ILiteCollection<ScopeChannel> ScopeChannels => database.Collection<ScopeChannel>(Collections.ScopeChannels);

    /// <summary>The managers' channel bound to a service or board (<c>link service|board &lt;name&gt;</c>), for roll-ups.</summary>
    public string? ChannelFor(RoleScopeKind kind, string scopeId) => ScopeChannels.FindById($"{kind}:{scopeId}")?.ConversationId;

    public void LinkScopeChannel(RoleScopeKind kind, string scopeId, string conversationId, Actor actor)
    {
        database.Database.BeginTrans();
        try
        {
            var previous = ChannelFor(kind, scopeId);
            ScopeChannels.Upsert(new ScopeChannel { Id = $"{kind}:{scopeId}", ConversationId = conversationId });
            audit.Append(Entry(actor, kind.ToString().ToLowerInvariant(), scopeId, "link-channel", null, [new AuditChange("channel", previous, conversationId)]));
            database.Database.Commit();
        }
        catch
        {
            database.Database.Rollback();
            throw;
        }
    }

    /// <summary>Finds a service or board by id or name, case-insensitively.</summary>
    public (RoleScopeKind Kind, string Id, string Name)? FindScope(RoleScopeKind kind, string text)
    {
        var wanted = TeamNameResolver.Normalise(text);
        return kind switch
        {
            RoleScopeKind.Service => AllServices().FirstOrDefault(s => s.Id == text.Trim() || TeamNameResolver.Normalise(s.Name) == wanted) is { } service
                ? (kind, service.Id, service.Name) : null,
            RoleScopeKind.Board => AllBoards().FirstOrDefault(b => b.Id == text.Trim() || TeamNameResolver.Normalise(b.Name) == wanted) is { } board
                ? (kind, board.Id, board.Name) : null,
            _ => null,
        };
    }

    public IReadOnlyList<Board> AllBoards() => Boards.FindAll().OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList();
    public IReadOnlyList<Service> AllServices() => Services.FindAll().OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
    public IReadOnlyList<TeamProfile> AllTeams() => Teams.FindAll().OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public TeamProfile? FindTeam(string id) => Teams.FindById(id);
    public Service? FindService(string id) => Services.FindById(id);
    public Board? FindBoard(string id) => Boards.FindById(id);

    public TeamProfile? TeamForChannel(string channelConversationId) =>
        Teams.FindOne(t => t.ChannelConversationId == channelConversationId);

    public TeamLookup Resolve(string text) => TeamNameResolver.Resolve(text, AllTeams());

    public IReadOnlyList<RoleAssignment> RolesOf(string aadObjectId) =>
        Roles.Find(r => r.Assignment.AadObjectId == aadObjectId).Select(r => r.Assignment).ToList();

    public IReadOnlyList<RoleAssignment> RolesIn(RoleScopeKind kind, string scopeId) =>
        Roles.Find(r => r.Assignment.ScopeKind == kind && r.Assignment.ScopeId == scopeId).Select(r => r.Assignment).ToList();

    public IReadOnlyList<RoleAssignment> AllRoles() => Roles.FindAll().Select(r => r.Assignment).ToList();

    /// <summary>Binds a team's channel (from <c>link &lt;team&gt;</c>), recording who did it.</summary>
    public TeamProfile LinkChannel(TeamProfile team, string channelConversationId, string? aadGroupId, Actor actor)
    {
        var updated = team with { ChannelConversationId = channelConversationId, AadGroupId = aadGroupId ?? team.AadGroupId };
        database.Database.BeginTrans();
        try
        {
            // A channel serves one team: unlink whichever team had it before.
            foreach (var previous in Teams.Find(t => t.ChannelConversationId == channelConversationId && t.Id != team.Id).ToList())
            {
                Teams.Update(previous with { ChannelConversationId = null });
                audit.Append(Entry(actor, "team", previous.Id, "unlink-channel", previous.Id, [new AuditChange("channel", channelConversationId, null)]));
            }
            Teams.Update(updated);
            audit.Append(Entry(actor, "team", team.Id, "link-channel", team.Id, [new AuditChange("channel", team.ChannelConversationId, channelConversationId)]));
            database.Database.Commit();
        }
        catch
        {
            database.Database.Rollback();
            throw;
        }
        return updated;
    }

    public void Grant(RoleAssignment assignment, Actor actor)
    {
        database.Database.BeginTrans();
        try
        {
            Roles.Upsert(new StoredRole { Id = assignment.Key, Assignment = assignment });
            audit.Append(Entry(actor, "role", assignment.Key, "grant", assignment.ScopeKind == RoleScopeKind.Team ? assignment.ScopeId : null,
                [new AuditChange(assignment.Role.ToString(), null, assignment.DisplayName)]));
            database.Database.Commit();
        }
        catch
        {
            database.Database.Rollback();
            throw;
        }
    }

    public bool Revoke(RoleAssignment assignment, Actor actor)
    {
        database.Database.BeginTrans();
        try
        {
            var removed = Roles.Delete(assignment.Key);
            if (removed)
            {
                audit.Append(Entry(actor, "role", assignment.Key, "revoke", assignment.ScopeKind == RoleScopeKind.Team ? assignment.ScopeId : null,
                    [new AuditChange(assignment.Role.ToString(), assignment.DisplayName, null)]));
            }
            database.Database.Commit();
            return removed;
        }
        catch
        {
            database.Database.Rollback();
            throw;
        }
    }

    /// <summary>Replaces the whole organisation (an import), all or nothing, with one audit entry per changed record.</summary>
    public void ReplaceAll(IReadOnlyList<Board> boards, IReadOnlyList<Service> services, IReadOnlyList<TeamProfile> teams, IReadOnlyList<RoleAssignment> roles, Actor actor)
    {
        database.Database.BeginTrans();
        try
        {
            // Channel bindings are made in Teams, not in the file: keep them across an import.
            var existingTeams = Teams.FindAll().ToDictionary(t => t.Id);
            Boards.DeleteAll();
            Services.DeleteAll();
            Teams.DeleteAll();
            Roles.DeleteAll();
            Boards.InsertBulk(boards);
            Services.InsertBulk(services);
            Teams.InsertBulk(teams.Select(t => existingTeams.TryGetValue(t.Id, out var old)
                ? t with { ChannelConversationId = t.ChannelConversationId ?? old.ChannelConversationId, AadGroupId = t.AadGroupId ?? old.AadGroupId }
                : t));
            Roles.InsertBulk(roles.Select(r => new StoredRole { Id = r.Key, Assignment = r }));

            foreach (var team in teams)
            {
                var action = existingTeams.ContainsKey(team.Id) ? "import-update" : "import-create";
                audit.Append(Entry(actor, "team", team.Id, action, team.Id, [new AuditChange("name", existingTeams.GetValueOrDefault(team.Id)?.Name, team.Name)]));
            }
            foreach (var removed in existingTeams.Keys.Except(teams.Select(t => t.Id)))
                audit.Append(Entry(actor, "team", removed, "import-remove", removed, [new AuditChange("name", existingTeams[removed].Name, null)]));
            database.Database.Commit();
        }
        catch
        {
            database.Database.Rollback();
            throw;
        }
    }

    private AuditEntry Entry(Actor actor, string subject, string subjectId, string action, string? teamId, IReadOnlyList<AuditChange> changes) => new()
    {
        At = time.GetUtcNow(),
        ActorId = actor.Id,
        ActorName = actor.Name,
        Subject = subject,
        SubjectId = subjectId,
        Action = action,
        TeamId = teamId,
        Changes = changes,
    };

    private sealed class ScopeChannel
    {
        [BsonId] public string Id { get; set; } = string.Empty;
        public string ConversationId { get; set; } = string.Empty;
    }

    private sealed class StoredRole
    {
        [BsonId] public string Id { get; set; } = string.Empty;
        public RoleAssignment Assignment { get; set; } = null!;
    }
}
