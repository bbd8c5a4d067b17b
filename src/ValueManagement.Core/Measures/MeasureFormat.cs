using System.Globalization;

namespace ValueManagement.Core.Measures;

/// <summary>How values look on cards: invariant culture, the measure's decimals, unit symbols.</summary>
public static class MeasureFormat
{
    public const string Missing = "—";

    /// <summary>
    /// "£438.50", "12.5%", "3", "1,234"; <see cref="Missing"/> (an em dash) when there is no value.
    /// Thousands are grouped with commas, rounding is half away from zero.
    /// </summary>
    public static string Format(MeasureDefinition measure, double? value)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (value is not { } raw || !double.IsFinite(raw)) return Missing;

        var rounded = RoundForDisplay(measure, raw);
        var number = Math.Abs(rounded).ToString("N" + DisplayDecimals(measure), CultureInfo.InvariantCulture);
        var sign = rounded < 0 ? "-" : string.Empty;
        return measure.Unit switch
        {
            MeasureUnit.Pounds => $"{sign}£{number}",
            MeasureUnit.Percent => $"{sign}{number}%",
            _ => sign + number,
        };
    }

    /// <summary>
    /// The size of a change between two values: as <see cref="Format"/>, except that a difference of percentages is in
    /// percentage points ("0.7 points", "1 point"), since "0.7%" would read as a relative change.
    /// </summary>
    public static string FormatDifference(MeasureDefinition measure, double? difference)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (measure.Unit != MeasureUnit.Percent || difference is not { } raw || !double.IsFinite(raw)) return Format(measure, difference);
        var rounded = RoundForDisplay(measure, raw);
        var number = Math.Abs(rounded).ToString("N" + DisplayDecimals(measure), CultureInfo.InvariantCulture);
        return $"{(rounded < 0 ? "-" : string.Empty)}{number} {(number == "1" ? "point" : "points")}";
    }

    /// <summary>
    /// A value as typed into a form field: no grouping, no unit, invariant culture, the measure's
    /// decimals at most ("1234.5"), so <see cref="Submissions.SubmissionParser"/> reads it back.
    /// </summary>
    public static string FormatForEntry(MeasureDefinition measure, double? value)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (value is not { } raw || !double.IsFinite(raw)) return string.Empty;
        return RoundForDisplay(measure, raw).ToString("0.######", CultureInfo.InvariantCulture);
    }

    /// <summary>The unit as words go in sentences such as "between 0 and 80 hours": "", "%", "£", "hours", "days", "WTE", "".</summary>
    public static string UnitLabel(MeasureUnit unit) => unit switch
    {
        MeasureUnit.Count or MeasureUnit.Rate => string.Empty,
        MeasureUnit.Percent => "%",
        MeasureUnit.Pounds => "£",
        MeasureUnit.Hours => "hours",
        MeasureUnit.Days => "days",
        MeasureUnit.Wte => "WTE",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, null),
    };

    /// <summary>
    /// A bound or target with its unit, as in messages: "£1000", "100%", "80 hours", "50". Not grouped,
    /// because the form refuses thousands separators and the message must not suggest them.
    /// </summary>
    public static string WithUnit(MeasureUnit unit, double value)
    {
        var number = Math.Abs(value).ToString("0.######", CultureInfo.InvariantCulture);
        var sign = value < 0 ? "-" : string.Empty;
        return unit switch
        {
            MeasureUnit.Pounds => $"{sign}£{number}",
            MeasureUnit.Percent => $"{sign}{number}%",
            MeasureUnit.Count or MeasureUnit.Rate => sign + number,
            _ => $"{sign}{number} {UnitLabel(unit)}",
        };
    }

    /// <summary>
    /// The value rounded half away from zero to the decimals shown; never negative zero. Rounding goes
    /// through decimal (15 significant digits), so a typed 438.505 shows as 438.51 although its
    /// nearest double is a little below.
    /// </summary>
    public static double RoundForDisplay(MeasureDefinition measure, double value)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var decimals = DisplayDecimals(measure);
        var rounded = Math.Abs(value) < 1e15
            ? (double)Math.Round((decimal)value, decimals, MidpointRounding.AwayFromZero)
            : Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded;
    }

    private static int DisplayDecimals(MeasureDefinition measure) => Math.Clamp(measure.Decimals, 0, 6);
}
