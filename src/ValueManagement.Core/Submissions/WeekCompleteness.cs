using ValueManagement.Core.Measures;

namespace ValueManagement.Core.Submissions;

/// <summary>
/// Whether a week's figures are complete: every required measure the team enters has a value.
/// Imported measures do not hold a week back; they are listed as awaiting data instead.
/// </summary>
/// <param name="MissingRequired">Required entered measures without a value, in set order.</param>
/// <param name="AwaitingImport">Imported measures without a value yet ("awaiting finance data"), in set order.</param>
public sealed record WeekCompleteness(IReadOnlyList<MeasureDefinition> MissingRequired, IReadOnlyList<MeasureDefinition> AwaitingImport)
{
    public bool IsComplete => MissingRequired.Count == 0;

    /// <param name="isDue">Which measures are asked for this week (a sampled measure may not be due); all when null.</param>
    public static WeekCompleteness Assess(
        MeasureSet set,
        IReadOnlyDictionary<string, double?> values,
        Func<MeasureDefinition, bool>? isDue = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(values);
        bool HasValue(MeasureDefinition m) => values.GetValueOrDefault(m.Key) is not null;
        var due = set.Measures.Where(m => isDue?.Invoke(m) ?? true).ToList();
        return new WeekCompleteness(
            [.. due.Where(m => m.IsEntered && m.IsRequired && !HasValue(m))],
            [.. due.Where(m => m.IsImported && !HasValue(m))]);
    }
}
