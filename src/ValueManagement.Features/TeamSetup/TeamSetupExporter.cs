using ValueManagement.Core.Organisation;

namespace ValueManagement.Features.TeamSetup;

/// <summary>
/// Writes the organisation in the data file back as a team setup file, so an admin can start from
/// what is there. Importing the export changes nothing, and exporting again gives the same bytes.
/// Channel bindings are not part of the file (they are made in Teams, with <c>link</c>).
/// </summary>
public sealed class TeamSetupExporter(TeamDirectory directory, MeasureSetStore measureSets)
{
    /// <summary>The organisation as a document, in a stable order: boards, services by board, teams by service, roles by person.</summary>
    public TeamSetupDocument Read() => new(
        directory.AllBoards().OrderBy(b => b.Id, StringComparer.Ordinal).ToList(),
        directory.AllServices().OrderBy(s => s.BoardId, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal).ToList(),
        measureSets.Imported(),
        directory.AllTeams()
            .Select(t => t with { ChannelConversationId = null, ChannelLinkedAt = null, AadGroupId = null })
            .OrderBy(t => t.ServiceId, StringComparer.Ordinal).ThenBy(t => t.Id, StringComparer.Ordinal).ToList(),
        directory.AllRoles()
            .OrderBy(r => r.DisplayName, StringComparer.Ordinal)
            .ThenBy(r => r.AadObjectId, StringComparer.Ordinal)
            .ThenBy(r => r.Role)
            .ThenBy(r => r.ScopeKind)
            .ThenBy(r => r.ScopeId, StringComparer.Ordinal)
            .ToList());

    /// <summary>The team setup file, UTF-8.</summary>
    public byte[] Export() => TeamSetupWriter.Write(Read());
}
