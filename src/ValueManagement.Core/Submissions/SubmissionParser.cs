using System.Globalization;
using ValueManagement.Core.Measures;

namespace ValueManagement.Core.Submissions;

/// <summary>A problem with one field of the weekly form, worded for the nurse who filled it in.</summary>
public sealed record FieldError(string Key, string Message);

/// <summary>What the form said: values (null = left blank, not recorded) or the errors to show.</summary>
public sealed record ParsedSubmission(IReadOnlyDictionary<string, double?> Values, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

public static class SubmissionParser
{
    /// <summary>
    /// Reads the weekly form. Only measures the team enters are read: imported and derived measures
    /// are never taken from the form, and keys that are not measures of the set are ignored.
    /// </summary>
    /// <remarks>
    /// A field that is present but blank is "not recorded" (a null value, which clears an earlier
    /// value when applied), never 0; a field absent from the form leaves the measure out of the
    /// values, so applying them keeps its current value. A required measure must have a value either
    /// way. Numbers are plain invariant-culture decimals (a point for decimals); commas, exponents
    /// (<c>1.7e2</c>, <c>1e-320</c>), NaN, infinities and numbers too large for a double are refused.
    /// </remarks>
    /// <param name="isDue">Which measures the form asks for this week (sampled measures are not always due); all when null.</param>
    public static ParsedSubmission Parse(
        MeasureSet set,
        IReadOnlyDictionary<string, string?> raw,
        Func<MeasureDefinition, bool>? isDue = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(raw);

        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        var errors = new List<FieldError>();
        foreach (var measure in set.Measures.Where(m => m.IsEntered && (isDue?.Invoke(m) ?? true)))
        {
            var present = raw.TryGetValue(measure.Key, out var text);
            var trimmed = text?.Trim() ?? string.Empty;
            if (trimmed.Length == 0)
            {
                if (measure.IsRequired)
                    errors.Add(new FieldError(measure.Key, RequiredMessage(measure)));
                else if (present)
                    values[measure.Key] = null;
                continue;
            }

            if (trimmed.Contains(','))
            {
                errors.Add(new FieldError(measure.Key, $"{measure.Name}: write the number without commas, for example 1234 or 12.5 (not 1,234 or 12,5)."));
                continue;
            }

            if (trimmed.Contains('e', StringComparison.OrdinalIgnoreCase) && double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                errors.Add(new FieldError(measure.Key, $"{measure.Name}: write the number out in full, for example 170 or 0.5 (not {trimmed}): powers of ten are too easy to misread."));
                continue;
            }

            if (!double.TryParse(trimmed, PlainNumber, CultureInfo.InvariantCulture, out var value)
                || !double.IsFinite(value)
                || (measure.IsInteger && value != Math.Floor(value))
                || value < measure.Min
                || value > measure.Max)
            {
                errors.Add(new FieldError(measure.Key, ExpectedValueMessage(measure)));
                continue;
            }

            values[measure.Key] = value == 0 ? 0 : value;
        }

        return new ParsedSubmission(values, errors);
    }

    /// <summary>Digits with an optional sign and decimal point: what a person types for a weekly figure (no exponent, no separators).</summary>
    private const NumberStyles PlainNumber = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    private static string RequiredMessage(MeasureDefinition measure) =>
        measure.Unit == MeasureUnit.Count && measure.Min is 0
            ? $"{measure.Name} is required: enter 0 if there were none."
            : $"{measure.Name} is required.";

    /// <summary>"Falls must be a whole number between 0 and 50." and the like, naming the range and unit.</summary>
    public static string ExpectedValueMessage(MeasureDefinition measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var kind = measure.IsInteger ? "a whole number" : "a number";
        var unitAfterNumber = measure.Unit is MeasureUnit.Hours or MeasureUnit.Days or MeasureUnit.Wte;
        var range = (measure.Min, measure.Max) switch
        {
            ({ } min, { } max) => $" between {(unitAfterNumber ? Plain(min) : MeasureFormat.WithUnit(measure.Unit, min))} and {MeasureFormat.WithUnit(measure.Unit, max)}",
            ({ } min, null) => $" of at least {MeasureFormat.WithUnit(measure.Unit, min)}",
            (null, { } max) => $" of at most {MeasureFormat.WithUnit(measure.Unit, max)}",
            _ => unitAfterNumber || measure.Unit is MeasureUnit.Percent or MeasureUnit.Pounds ? $" ({MeasureFormat.UnitLabel(measure.Unit)})" : string.Empty,
        };
        return $"{measure.Name} must be {kind}{range}.";
    }

    private static string Plain(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
