namespace ValueManagement.Features.TeamSetup;

/// <summary>The ids of the records an import created, changed and removed (for roles: granted, changed name, revoked).</summary>
public sealed record RecordChanges(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Removed)
{
    public static RecordChanges None { get; } = new([], [], []);

    public bool Any => Created.Count + Updated.Count + Removed.Count > 0;
}

/// <summary>What an import of a team setup file changed in the data file.</summary>
public sealed record OrganisationChanges(RecordChanges Boards, RecordChanges Services, RecordChanges MeasureSets, RecordChanges Teams, RecordChanges Roles)
{
    public bool Any => Boards.Any || Services.Any || MeasureSets.Any || Teams.Any || Roles.Any;
}
