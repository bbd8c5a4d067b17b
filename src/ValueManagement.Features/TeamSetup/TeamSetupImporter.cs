using ValueManagement.Features.Audit;
using ValueManagement.Core.Text;

namespace ValueManagement.Features.TeamSetup;

/// <summary>
/// Imports a team setup file: checks everything first, and changes nothing unless the whole file is
/// valid; then replaces the organisation and the imported measure sets in one transaction, keeping
/// channel bindings made in Teams, with an audit entry for each record that changed.
/// </summary>
public sealed class TeamSetupImporter(TeamDirectory directory)
{
    /// <summary>Checks the file without changing anything.</summary>
    public TeamSetupImportReport Check(ReadOnlySpan<byte> json, string fileName)
    {
        var read = TeamSetupReader.Read(json, fileName);
        return new TeamSetupImportReport(fileName, read.IsValid, Applied: false, read.Problems, Counts(read.Document), Changes: null);
    }

    public TeamSetupImportReport Import(ReadOnlySpan<byte> json, string fileName, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var read = TeamSetupReader.Read(json, fileName);
        if (!read.IsValid) return new TeamSetupImportReport(fileName, Valid: false, Applied: false, read.Problems, Counts: null, Changes: null);
        var changes = directory.ReplaceAll(read.Document!, actor);
        return new TeamSetupImportReport(fileName, Valid: true, Applied: true, [], Counts(read.Document), changes);
    }

    private static TeamSetupCounts? Counts(TeamSetupDocument? document) => document is null ? null
        : new TeamSetupCounts(document.Boards.Count, document.Services.Count, document.MeasureSets.Count, document.Teams.Count, document.Roles.Count);
}

public sealed record TeamSetupCounts(int Boards, int Services, int MeasureSets, int Teams, int Roles);

/// <summary>What an import (or a check) of a team setup file found and did; the same for <c>vm</c> and the admin endpoint.</summary>
/// <param name="Applied">Whether the data file was changed (a valid file that was imported, not only checked).</param>
public sealed record TeamSetupImportReport(
    string File,
    bool Valid,
    bool Applied,
    IReadOnlyList<TeamSetupProblem> Problems,
    TeamSetupCounts? Counts,
    OrganisationChanges? Changes)
{
    /// <summary>The report as lines for a terminal: a summary, then every problem or every change.</summary>
    public IReadOnlyList<string> Lines()
    {
        if (!Valid)
        {
            return [$"{File}: {Count(Problems.Count, "problem")}; nothing was changed.", .. Problems.Select(p => p.ToString())];
        }

        var contents = Counts is { } c
            ? $"{Count(c.Boards, "board")}, {Count(c.Services, "service")}, {Count(c.MeasureSets, "measure set")}, {Count(c.Teams, "team")}, {Count(c.Roles, "role")}"
            : string.Empty;
        if (!Applied) return [$"{File} is valid ({contents}); nothing was changed (check only)."];
        if (Changes is not { Any: true } changes) return [$"{File} imported ({contents}): nothing changed, the data file already matched it."];

        var lines = new List<string> { $"{File} imported ({contents})." };
        AddLines(lines, "boards", changes.Boards, "created", "changed", "removed");
        AddLines(lines, "services", changes.Services, "created", "changed", "removed");
        AddLines(lines, "measure sets", changes.MeasureSets, "created", "changed", "removed");
        AddLines(lines, "teams", changes.Teams, "created", "changed", "removed");
        AddLines(lines, "roles", changes.Roles, "granted", "renamed", "revoked");
        return lines;
    }

    private static void AddLines(List<string> lines, string what, RecordChanges changes, string created, string updated, string removed)
    {
        if (!changes.Any) return;
        var parts = new[] { (created, changes.Created), (updated, changes.Updated), (removed, changes.Removed) }
            .Where(p => p.Item2.Count > 0)
            .Select(p => what == "roles" ? $"{p.Item1} {p.Item2.Count}" : $"{p.Item1} {string.Join(", ", p.Item2)}");
        lines.Add($"  {what}: {string.Join("; ", parts)}");
    }

    private static string Count(int count, string noun) => Plural.Count(count, noun);
}
