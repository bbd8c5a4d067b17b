using System.Text.RegularExpressions;

namespace ValueManagement.Features.Charts;

/// <summary>
/// Which chart a signed URL stands for: a team's measure, for the week the chart ends with, as a
/// full chart or a sparkline. <see cref="DataVersion"/> pins the figures: see <see cref="IChartSource"/>.
/// </summary>
public sealed partial record ChartRequest(string TeamId, string MeasureKey, string Week, ChartKind Kind, string? DataVersion = null)
{
    public const int MaxIdLength = 100;
    public const int MaxVersionLength = 64;

    /// <summary>Problems that stop the request being put in a URL; empty when it is fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        CheckId(problems, nameof(TeamId), TeamId, MaxIdLength);
        CheckId(problems, nameof(MeasureKey), MeasureKey, MaxIdLength);
        if (Week is null || !IsoWeek().IsMatch(Week))
            problems.Add($"Week '{Week}' is not an ISO week such as 2026-W48.");
        else if (int.Parse(Week.AsSpan(6, 2), System.Globalization.CultureInfo.InvariantCulture) is < 1 or > 53)
            problems.Add($"Week '{Week}' has no such week number.");
        if (!Enum.IsDefined(Kind)) problems.Add($"Kind {(int)Kind} is not a chart kind.");
        if (DataVersion is not null) CheckId(problems, nameof(DataVersion), DataVersion, MaxVersionLength);
        return problems;
    }

    /// <exception cref="ArgumentException">The request cannot be signed.</exception>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0) throw new ArgumentException("The chart request is not valid: " + string.Join(" ", problems));
    }

    /// <summary>Ids are printable and free of line breaks, so that the signed payload parses back unambiguously.</summary>
    private static void CheckId(List<string> problems, string name, string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength || value.Any(char.IsControl) || value.Trim().Length != value.Length)
            problems.Add($"{name} must be 1 to {maxLength} printable characters without leading or trailing spaces.");
    }

    [GeneratedRegex(@"^\d{4}-W\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWeek();
}
