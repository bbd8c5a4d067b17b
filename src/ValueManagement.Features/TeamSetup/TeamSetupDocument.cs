using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;

namespace ValueManagement.Features.TeamSetup;

/// <summary>
/// The whole organisation as a team setup file describes it (docs/team-setup.md): boards, services,
/// the measure sets the file defines, teams and roles. An import replaces everything in the data
/// file with it, except the channel bindings made in Teams.
/// </summary>
/// <param name="MeasureSets">Only the sets the file defines; the shipped <c>acute-ward</c> is always available besides, unless the file redefines it.</param>
public sealed record TeamSetupDocument(
    IReadOnlyList<Board> Boards,
    IReadOnlyList<Service> Services,
    IReadOnlyList<MeasureSet> MeasureSets,
    IReadOnlyList<TeamProfile> Teams,
    IReadOnlyList<RoleAssignment> Roles)
{
    public static TeamSetupDocument Empty { get; } = new([], [], [], [], []);
}

/// <summary>
/// One thing wrong with a team setup file, where it is: printed as
/// <c>teams.json:14:18: team "ward-7": service "medcine" does not exist … [teams[0].service]</c>.
/// </summary>
/// <param name="Path">The JSON path of the value concerned (<c>teams[0].service</c>); empty for the file as a whole.</param>
public sealed record TeamSetupProblem(string File, int Line, int Column, string Path, string Message)
{
    public override string ToString() => Path.Length == 0
        ? $"{File}:{Line}:{Column}: {Message}"
        : $"{File}:{Line}:{Column}: {Message} [{Path}]";
}

/// <summary>The words the file uses for enum values: camelCase, as in the rest of the file.</summary>
public static class TeamSetupNames
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static IReadOnlyList<string> All<TEnum>() where TEnum : struct, Enum =>
        Enum.GetValues<TEnum>().Select(Of).ToList();

    /// <summary>Reads a camelCase name (case is forgiven); only the named values, never numbers.</summary>
    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }
}
