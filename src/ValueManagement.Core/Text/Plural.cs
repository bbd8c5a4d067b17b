using System.Globalization;

namespace ValueManagement.Core.Text;

/// <summary>
/// A count and its noun, in the singular for one and the plural otherwise: "1 occurrence", "2 occurrences", "0 teams",
/// "3 coaches". Every reply that counts something says it through here.
/// </summary>
public static class Plural
{
    /// <summary>"1 team", "2 teams".</summary>
    /// <param name="plural">The plural when it is not made by the usual English rule ("weeks of figures", "people").</param>
    public static string Count(long count, string singular, string? plural = null) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {Noun(count, singular, plural)}";

    /// <summary>The noun alone, for <paramref name="count"/> of it: "team" for 1, "teams" otherwise.</summary>
    public static string Noun(long count, string singular, string? plural = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(singular);
        return count == 1 ? singular : plural ?? Regular(singular);
    }

    /// <summary>"has" for one, "have" otherwise: "1 team has", "2 teams have".</summary>
    public static string Has(long count) => count == 1 ? "has" : "have";

    /// <summary>"is" for one, "are" otherwise.</summary>
    public static string Is(long count) => count == 1 ? "is" : "are";

    private static string Regular(string singular)
    {
        if (singular.EndsWith("ch", StringComparison.Ordinal) || singular.EndsWith("sh", StringComparison.Ordinal)
            || singular.EndsWith('s') || singular.EndsWith('x') || singular.EndsWith('z'))
            return singular + "es";
        if (singular.Length > 1 && singular.EndsWith('y') && !"aeiou".Contains(singular[^2], StringComparison.Ordinal))
            return singular[..^1] + "ies";
        return singular + "s";
    }
}
