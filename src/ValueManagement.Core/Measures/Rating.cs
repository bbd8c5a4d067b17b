namespace ValueManagement.Core.Measures;

/// <summary>A measure's rating against its target. <see cref="None"/> (the default) means not rated.</summary>
public enum Rating
{
    None,
    Green,
    Amber,
    Red,
}

public static class RatingRules
{
    /// <summary>
    /// Rates a value against the measure's target:
    /// <list type="bullet">
    /// <item>no target, or no value: <see cref="Rating.None"/>;</item>
    /// <item>on the good side of the target, or equal to it: green;</item>
    /// <item>on the wrong side by no more than the amber tolerance (<see cref="MeasureDefinition.AmberToleranceInUnit"/>): amber;</item>
    /// <item>further: red. Without a tolerance, anything on the wrong side is red.</item>
    /// </list>
    /// A measure with direction <see cref="MeasureDirection.Neither"/> has no good side: both sides
    /// are the wrong side, so only the target itself is green, within the tolerance either way is
    /// amber and further is red.
    /// </summary>
    /// <remarks>
    /// The value is rated as the card shows it, rounded to the measure's decimals, so a card never
    /// shows "5.0" against a target of 5 with an amber rating. Comparisons allow for floating-point
    /// noise, so a value exactly at the tolerance is amber even when the tolerance is a percentage.
    /// </remarks>
    public static Rating Rate(MeasureDefinition measure, double? value)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (measure.Target is not { } target || value is not { } raw || !double.IsFinite(raw)) return Rating.None;

        var shown = MeasureFormat.RoundForDisplay(measure, raw);
        var wrongSideBy = measure.Direction switch
        {
            MeasureDirection.LowerIsBetter => shown - target,
            MeasureDirection.HigherIsBetter => target - shown,
            _ => Math.Abs(shown - target),
        };
        var noise = 1e-9 * Math.Max(1, Math.Max(Math.Abs(target), Math.Abs(shown)));

        if (wrongSideBy <= noise) return Rating.Green;
        return wrongSideBy <= (measure.AmberToleranceInUnit ?? 0) + noise ? Rating.Amber : Rating.Red;
    }

    /// <summary>A word to show next to the colour, because colour must never be the only signal.</summary>
    public static string Label(this Rating rating) => rating switch
    {
        Rating.Green => "On target",
        Rating.Amber => "Near target",
        Rating.Red => "Off target",
        Rating.None => "No target",
        _ => throw new ArgumentOutOfRangeException(nameof(rating), rating, null),
    };
}
