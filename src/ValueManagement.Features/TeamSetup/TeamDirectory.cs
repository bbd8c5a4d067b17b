using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.TeamSetup;

/// <summary>Boards, services, teams and who holds which role: read by every feature, changed by admins.</summary>
public sealed class TeamDirectory(IDocumentDatabase database, AuditLog audit, TimeProvider time)
{
    public static readonly DocumentCollection<Board> StoredBoards = new(Collections.Boards, b => b.Id);
    public static readonly DocumentCollection<Service> StoredServices = new(Collections.Services, s => s.Id);
    public static readonly DocumentCollection<TeamProfile> StoredTeams = new(Collections.Teams, t => t.Id, nameof(TeamProfile.ChannelConversationId));
    public static readonly DocumentCollection<StoredRole> StoredRoles = new(Collections.Roles, r => r.Id, "Assignment.AadObjectId", "Assignment.ScopeId");
    public static readonly DocumentCollection<ScopeChannel> StoredScopeChannels = new(Collections.ScopeChannels, c => c.Id);

    private IDocumentCollection<Board> Boards => database.Collection(StoredBoards);
    private IDocumentCollection<Service> Services => database.Collection(StoredServices);
    private IDocumentCollection<TeamProfile> Teams => database.Collection(StoredTeams);
    private IDocumentCollection<StoredRole> Roles => database.Collection(StoredRoles);
    private IDocumentCollection<ScopeChannel> ScopeChannels => database.Collection(StoredScopeChannels);

    /// <summary>The managers' channel bound to a service or board (<c>link service|board &lt;name&gt;</c>), for roll-ups.</summary>
    public string? ChannelFor(RoleScopeKind kind, string scopeId) => ScopeChannelOf(kind, scopeId)?.ConversationId;

    public ScopeChannel? ScopeChannelOf(RoleScopeKind kind, string scopeId) => ScopeChannels.Find($"{kind}:{scopeId}");

    public void LinkScopeChannel(RoleScopeKind kind, string scopeId, string conversationId, Actor actor)
    {
        database.InTransaction(() =>
        {
            var previous = ScopeChannels.Find($"{kind}:{scopeId}");
            ScopeChannels.Upsert(new ScopeChannel { Id = $"{kind}:{scopeId}", ConversationId = conversationId, LinkedAt = previous is null ? time.GetUtcNow() : previous.LinkedAt });
            audit.Append(Entry(actor, kind.ToString().ToLowerInvariant(), scopeId, "link-channel", null, [new AuditChange("channel", previous?.ConversationId, conversationId)]));
        });
    }

    /// <summary>Finds a service or board by id or name, case-insensitively.</summary>
    public (RoleScopeKind Kind, string Id, string Name)? FindScope(RoleScopeKind kind, string text) => ScopeFinder([kind])(text);

    /// <summary>
    /// Finds a service or board (the first of <paramref name="kinds"/> that matches) by id or name, over one read of
    /// them: for a command that tries several splits of what was typed.
    /// </summary>
    public Func<string, (RoleScopeKind Kind, string Id, string Name)?> ScopeFinder(IReadOnlyList<RoleScopeKind> kinds)
    {
        var scopes = kinds.SelectMany(kind => kind switch
        {
            RoleScopeKind.Service => AllServices().Select(s => (Kind: kind, s.Id, s.Name)),
            RoleScopeKind.Board => AllBoards().Select(b => (Kind: kind, b.Id, b.Name)),
            _ => [],
        }).Select(s => (Scope: s, Normalised: TeamNameResolver.Normalise(s.Name))).ToList();
        return text =>
        {
            var wanted = TeamNameResolver.Normalise(text);
            var trimmed = text.Trim();
            foreach (var kind in kinds)
            {
                foreach (var (scope, normalised) in scopes)
                {
                    if (scope.Kind == kind && (scope.Id == trimmed || normalised == wanted))
                        return scope;
                }
            }
            return null;
        };
    }

    public IReadOnlyList<Board> AllBoards() => Boards.All().OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList();
    public IReadOnlyList<Service> AllServices() => Services.All().OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
    public IReadOnlyList<TeamProfile> AllTeams() => Teams.All().OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList();

    public TeamProfile? FindTeam(string id) => Teams.Find(id);
    public Service? FindService(string id) => Services.Find(id);
    public Board? FindBoard(string id) => Boards.Find(id);

    public TeamProfile? TeamForChannel(string channelConversationId) =>
        Teams.Where(t => t.ChannelConversationId, channelConversationId).FirstOrDefault();

    public TeamLookup Resolve(string text) => TeamNameResolver.Resolve(text, AllTeams());

    public IReadOnlyList<RoleAssignment> RolesOf(string aadObjectId) =>
        Roles.Where(r => r.Assignment.AadObjectId, aadObjectId).Select(r => r.Assignment).ToList();

    public IReadOnlyList<RoleAssignment> RolesIn(RoleScopeKind kind, string scopeId) =>
        Roles.Where(r => r.Assignment.ScopeId, scopeId).Select(r => r.Assignment).Where(r => r.ScopeKind == kind).ToList();

    public IReadOnlyList<RoleAssignment> AllRoles() => Roles.All().Select(r => r.Assignment).ToList();

    /// <summary>Binds a team's channel (from <c>link &lt;team&gt;</c>), recording who did it.</summary>
    public TeamProfile LinkChannel(TeamProfile team, string channelConversationId, string? aadGroupId, Actor actor)
    {
        var updated = team with
        {
            ChannelConversationId = channelConversationId,
            ChannelLinkedAt = team.ChannelConversationId is null ? time.GetUtcNow() : team.ChannelLinkedAt,
            AadGroupId = aadGroupId ?? team.AadGroupId,
        };
        database.InTransaction(() =>
        {
            // A channel serves one team: unlink whichever team had it before.
            foreach (var previous in Teams.Where(t => t.ChannelConversationId, channelConversationId).Where(t => t.Id != team.Id))
            {
                Teams.Upsert(previous with { ChannelConversationId = null, ChannelLinkedAt = null });
                audit.Append(Entry(actor, "team", previous.Id, "unlink-channel", previous.Id, [new AuditChange("channel", channelConversationId, null)]));
            }
            Teams.Upsert(updated);
            audit.Append(Entry(actor, "team", team.Id, "link-channel", team.Id, [new AuditChange("channel", team.ChannelConversationId, channelConversationId)]));
        });
        return updated;
    }

    public void Grant(RoleAssignment assignment, Actor actor)
    {
        database.InTransaction(() =>
        {
            Roles.Upsert(new StoredRole { Id = assignment.Key, Assignment = assignment });
            audit.Append(Entry(actor, "role", assignment.Key, "grant", assignment.ScopeKind == RoleScopeKind.Team ? assignment.ScopeId : null,
                [new AuditChange(assignment.Role.ToString(), null, assignment.DisplayName)]));
        });
    }

    public bool Revoke(RoleAssignment assignment, Actor actor)
    {
        return database.InTransaction(() =>
        {
            var removed = Roles.Delete(assignment.Key);
            if (removed)
            {
                audit.Append(Entry(actor, "role", assignment.Key, "revoke", assignment.ScopeKind == RoleScopeKind.Team ? assignment.ScopeId : null,
                    [new AuditChange(assignment.Role.ToString(), assignment.DisplayName, null)]));
            }
            return removed;
        });
    }

    /// <summary>
    /// Replaces boards, services, teams and roles (an import), all or nothing, with one audit entry per
    /// changed record; the imported measure sets are left as they are.
    /// </summary>
    public OrganisationChanges ReplaceAll(IReadOnlyList<Board> boards, IReadOnlyList<Service> services, IReadOnlyList<TeamProfile> teams, IReadOnlyList<RoleAssignment> roles, Actor actor) =>
        Replace(new TeamSetupDocument(boards, services, [], teams, roles), replaceMeasureSets: false, actor);

    /// <summary>
    /// Replaces the whole organisation with a team setup file's: boards, services, the imported
    /// measure sets, teams and roles, in one transaction (joining the caller's, if it has one). Channel
    /// bindings made in Teams are kept. Only records that change get an audit entry, so importing the
    /// same file again changes nothing and writes nothing to the audit trail.
    /// </summary>
    public OrganisationChanges ReplaceAll(TeamSetupDocument setup, Actor actor) => Replace(setup, replaceMeasureSets: true, actor);

    private OrganisationChanges Replace(TeamSetupDocument setup, bool replaceMeasureSets, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(actor);
        var measureSets = new MeasureSetStore(database);
        return database.InTransaction(() =>
        {
            database.LockKey("organisation");
            var existingBoards = Boards.All().ToDictionary(b => b.Id);
            var existingServices = Services.All().ToDictionary(s => s.Id);
            var existingTeams = Teams.All().ToDictionary(t => t.Id);
            var existingRoles = Roles.All().ToDictionary(r => r.Id, r => r.Assignment);

            var boards = Compare(actor, "board", existingBoards, setup.Boards, b => b.Id, BoardFields, _ => null, Verbs.Record);
            var services = Compare(actor, "service", existingServices, setup.Services, s => s.Id, ServiceFields, _ => null, Verbs.Record);
            var teams = Compare(actor, "team", existingTeams, setup.Teams, t => t.Id, TeamFields, t => t.Id, Verbs.Record);
            var roles = Compare(actor, "role", existingRoles, setup.Roles, r => r.Key, RoleFields,
                r => r.ScopeKind == RoleScopeKind.Team ? r.ScopeId : null, Verbs.Role);
            var sets = RecordChanges.None;
            if (replaceMeasureSets)
            {
                var existingSets = measureSets.Imported().ToDictionary(s => s.Id);
                sets = Compare(actor, "measureSet", existingSets, setup.MeasureSets, s => s.Id, MeasureSetFields, _ => null, Verbs.Record);
                measureSets.ReplaceAll(setup.MeasureSets);
            }

            Boards.DeleteAll();
            Services.DeleteAll();
            Teams.DeleteAll();
            Roles.DeleteAll();
            Boards.UpsertMany(setup.Boards);
            Services.UpsertMany(setup.Services);
            // Channel bindings are made in Teams, not in the file: keep them across an import.
            Teams.UpsertMany(setup.Teams.Select(t => existingTeams.TryGetValue(t.Id, out var old)
                ? t with
                {
                    ChannelConversationId = t.ChannelConversationId ?? old.ChannelConversationId,
                    ChannelLinkedAt = t.ChannelConversationId is null ? old.ChannelLinkedAt : t.ChannelLinkedAt,
                    AadGroupId = t.AadGroupId ?? old.AadGroupId,
                }
                : t));
            Roles.UpsertMany(setup.Roles.Select(r => new StoredRole { Id = r.Key, Assignment = r }));
            return new OrganisationChanges(boards, services, sets, teams, roles);
        });
    }

    private enum Verbs { Record, Role }

    /// <summary>Audits each record created, changed or removed, field by field, and lists them.</summary>
    private RecordChanges Compare<T>(
        Actor actor,
        string subject,
        IReadOnlyDictionary<string, T> before,
        IReadOnlyList<T> after,
        Func<T, string> idOf,
        Func<T, IEnumerable<(string Field, string? Value)>> fieldsOf,
        Func<T, string?> teamOf,
        Verbs verbs)
        where T : class
    {
        var (create, update, remove) = verbs == Verbs.Role ? ("import-grant", "import-update", "import-revoke") : ("import-create", "import-update", "import-remove");
        var created = new List<string>();
        var updated = new List<string>();
        foreach (var record in after)
        {
            var id = idOf(record);
            var old = before.GetValueOrDefault(id);
            var changes = Differences(old is null ? [] : fieldsOf(old), fieldsOf(record));
            if (old is not null && changes.Count == 0) continue;
            (old is null ? created : updated).Add(id);
            audit.Append(Entry(actor, subject, id, old is null ? create : update, teamOf(record), changes));
        }
        var removed = new List<string>();
        var kept = after.Select(idOf).ToHashSet(StringComparer.Ordinal);
        foreach (var (id, old) in before.Where(b => !kept.Contains(b.Key)).OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            removed.Add(id);
            audit.Append(Entry(actor, subject, id, remove, teamOf(old), Differences(fieldsOf(old), [])));
        }
        return new RecordChanges(created, updated, removed);
    }

    private static List<AuditChange> Differences(IEnumerable<(string Field, string? Value)> before, IEnumerable<(string Field, string? Value)> after)
    {
        var old = before.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        var @new = after.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
        return old.Keys.Concat(@new.Keys.Where(k => !old.ContainsKey(k)))
            .Select(field => new AuditChange(field, old.GetValueOrDefault(field), @new.GetValueOrDefault(field)))
            .Where(change => change.Old != change.New)
            .ToList();
    }

    private static IEnumerable<(string, string?)> BoardFields(Board board) => [("name", board.Name)];

    private static IEnumerable<(string, string?)> ServiceFields(Service service) => [("name", service.Name), ("board", service.BoardId)];

    private static IEnumerable<(string, string?)> TeamFields(TeamProfile team) =>
    [
        ("name", team.Name),
        ("aliases", string.Join(", ", team.Aliases)),
        ("service", team.ServiceId),
        ("measureSet", team.MeasureSetId),
        ("timeZone", team.TimeZoneId),
        ("lateEntryWeeks", team.LateEntryWeeks.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("promptDataLeadsInPersonalChat", team.PromptDataLeadsInPersonalChat ? "true" : "false"),
    ];

    private static IEnumerable<(string, string?)> RoleFields(RoleAssignment role) => [(role.Role.ToString(), role.DisplayName)];

    /// <summary>The set's name, the order of its measures, and each measure as the file writes it.</summary>
    private static IEnumerable<(string, string?)> MeasureSetFields(MeasureSet set) =>
        new (string, string?)[] { ("name", set.Name), ("order", string.Join(", ", set.Measures.Select(m => m.Key))) }
            .Concat(set.Measures.Select(m => ($"measure {m.Key}", (string?)TeamSetupWriter.MeasureJson(m))));

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
}

/// <summary>The managers' channel bound to a service or board; the id is <c>&lt;kind&gt;:&lt;scope id&gt;</c>.</summary>
public sealed class ScopeChannel
{
    public string Id { get; set; } = string.Empty;
    public string ConversationId { get; set; } = string.Empty;

    /// <summary>Since when the scope has had a managers' channel (null: linked before this was recorded); catch-up never posts there what was due before.</summary>
    public DateTimeOffset? LinkedAt { get; set; }
}

/// <summary>A role as stored; the id is the assignment's key.</summary>
public sealed class StoredRole
{
    public string Id { get; set; } = string.Empty;
    public RoleAssignment Assignment { get; set; } = null!;
}
