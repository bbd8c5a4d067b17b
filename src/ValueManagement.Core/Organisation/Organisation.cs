namespace ValueManagement.Core.Organisation;

/// <summary>An NHS board, e.g. NHS Highland.</summary>
public sealed record Board(string Id, string Name);

/// <summary>A service or site within a board; managers read its roll-up.</summary>
public sealed record Service(string Id, string Name, string BoardId);

/// <summary>
/// A ward, clinic or community team: the unit that fills in a box score every week.
/// <see cref="Id"/> is a stable slug (e.g. <c>ward-7</c>); people use the name or an alias.
/// </summary>
public sealed record TeamProfile
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required string ServiceId { get; init; }
    public string TimeZoneId { get; init; } = "Europe/London";
    public required string MeasureSetId { get; init; }

    /// <summary>How many weeks back a member may still enter figures; older weeks need a coach or admin.</summary>
    public int LateEntryWeeks { get; init; } = 4;

    /// <summary>Also send the weekly prompt to each data lead in personal chat.</summary>
    public bool PromptDataLeadsInPersonalChat { get; init; }

    /// <summary>The channel bound with <c>link</c>, where prompts and box scores are posted.</summary>
    public string? ChannelConversationId { get; init; }

    /// <summary>
    /// Since when the team has had a channel (moving it to another channel keeps this); null when the
    /// link predates this record. Catch-up never posts there what was due before.
    /// </summary>
    public DateTimeOffset? ChannelLinkedAt { get; init; }

    /// <summary>The Microsoft 365 group behind the team in Teams, for membership checks through Graph.</summary>
    public string? AadGroupId { get; init; }

    public IEnumerable<string> Names => Aliases.Prepend(Name);
}

/// <summary>What a person may do (domain.md, "Roles"). Identity is the Entra object id.</summary>
public enum Role
{
    /// <summary>May submit figures for their team.</summary>
    Member,
    /// <summary>A member who is prompted in personal chat.</summary>
    DataLead,
    /// <summary>Reports, reminders, schedules and tests of change for one or more teams.</summary>
    Coach,
    /// <summary>Reads a service's or board's roll-up.</summary>
    Manager,
    /// <summary>Configures teams, measures and roles.</summary>
    Admin,
}

public enum RoleScopeKind
{
    Team,
    Service,
    Board,
    Everywhere,
}

/// <summary>A person holding a role over a team, a service, a board, or (admins) everything.</summary>
public sealed record RoleAssignment(string AadObjectId, string DisplayName, Role Role, RoleScopeKind ScopeKind, string? ScopeId)
{
    public string Key => $"{AadObjectId}|{Role}|{ScopeKind}|{ScopeId}";
}
