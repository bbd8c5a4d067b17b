using System.Globalization;

namespace ValueManagement.Features.Charts;

/// <summary>Which picture: the report-out chart or the small trend line of a box-score row.</summary>
public enum ChartKind
{
    /// <summary>SPC or run chart with axes and a legend, for the report-out card (800×400 px).</summary>
    Full,

    /// <summary>A small trend line without text, for a box-score row (240×60 px).</summary>
    Sparkline,
}

/// <summary>How a point was judged (NHS England "Making Data Count").</summary>
public enum SpecialCause
{
    /// <summary>Common cause variation: noise.</summary>
    None,

    /// <summary>Special cause in the good direction.</summary>
    Improvement,

    /// <summary>Special cause in the bad direction.</summary>
    Concern,

    /// <summary>Special cause for a measure with no good direction.</summary>
    Neutral,
}

/// <summary>
/// One period on the chart. <see cref="Value"/> is null when the period was not recorded (a gap, never 0).
/// The centre line and process limits are given per point because a rebase starts new ones: the
/// renderer draws each run of equal values as one line, so they step where they change.
/// </summary>
public sealed record ChartPoint(string Label, double? Value, SpecialCause SpecialCause = SpecialCause.None)
{
    public double? CentreLine { get; init; }
    public double? LowerLimit { get; init; }
    public double? UpperLimit { get; init; }
}

/// <summary>A mark at one point, such as "change adopted"; <see cref="At"/> is that point's label.</summary>
public sealed record ChartAnnotation(string At, string Text);

/// <summary>What to draw. The SPC engine's results are mapped onto this by the integrator.</summary>
public sealed record ChartModel
{
    public const int MaxPoints = 1040;
    public const int MaxLabelLength = 24;
    public const int MaxTextLength = 80;

    /// <summary>The measure, e.g. "Falls per week".</summary>
    public required string Title { get; init; }

    /// <summary>The unit for the value axis, e.g. "falls", "£", "%". May be empty.</summary>
    public string UnitLabel { get; init; } = "";

    /// <summary>Oldest first.</summary>
    public required IReadOnlyList<ChartPoint> Points { get; init; }

    public ChartKind Kind { get; init; } = ChartKind.Full;

    public double? Target { get; init; }

    /// <summary>What the centre line is, for the legend and alt text: "average" (mean, SPC) or "median" (run chart).</summary>
    public string CentreLineName { get; init; } = "average";

    /// <summary>The limits are trial limits (fewer than 12 points in the period).</summary>
    public bool TrialLimits { get; init; }

    public IReadOnlyList<ChartAnnotation> Annotations { get; init; } = [];

    /// <summary>The measure's decimals, for numbers in the alt text; null: up to 2.</summary>
    public int? Decimals { get; init; }

    /// <summary>What one point is, singular, for the alt text: "week" (default), "sample", "month".</summary>
    public string PeriodName { get; init; } = "week";

    /// <summary>Problems that make the model undrawable; empty when it is fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        CheckText(problems, "Title", Title, required: true);
        CheckText(problems, "UnitLabel", UnitLabel, required: false);
        CheckText(problems, "PeriodName", PeriodName, required: true);
        CheckText(problems, "CentreLineName", CentreLineName, required: true);
        if (!Enum.IsDefined(Kind)) problems.Add($"Kind {(int)Kind} is not a chart kind.");
        if (Decimals is < 0 or > 6) problems.Add("Decimals must be between 0 and 6.");
        if (Target is { } target && !double.IsFinite(target)) problems.Add("Target must be a finite number.");

        if (Points is null || Points.Count == 0)
        {
            problems.Add("A chart needs at least one point.");
            return problems;
        }
        if (Points.Count > MaxPoints) problems.Add($"A chart has at most {MaxPoints} points, not {Points.Count}.");

        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Points.Count; i++)
        {
            var point = Points[i];
            if (point is null)
            {
                problems.Add($"Point {i} is missing.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(point.Label) || point.Label.Length > MaxLabelLength || point.Label.Any(char.IsControl))
                problems.Add($"Point {i} needs a label of 1 to {MaxLabelLength} printable characters.");
            else if (!labels.Add(point.Label))
                problems.Add($"Point {i}'s label '{point.Label}' is used twice.");
            if (!Enum.IsDefined(point.SpecialCause)) problems.Add($"Point {i} has an unknown special cause.");
            if (point.Value is { } v && !double.IsFinite(v)) problems.Add($"Point {i}'s value must be a finite number.");
            if (point.CentreLine is { } c && !double.IsFinite(c)) problems.Add($"Point {i}'s centre line must be a finite number.");
            if (point.LowerLimit is { } lo && !double.IsFinite(lo)) problems.Add($"Point {i}'s lower limit must be a finite number.");
            if (point.UpperLimit is { } hi && !double.IsFinite(hi)) problems.Add($"Point {i}'s upper limit must be a finite number.");
            if (point is { LowerLimit: { } l, UpperLimit: { } u } && l > u) problems.Add($"Point {i}'s lower limit is above its upper limit.");
            if (point.Value is null && point.SpecialCause != SpecialCause.None) problems.Add($"Point {i} has no value, so it cannot be a special cause.");
        }

        foreach (var annotation in Annotations ?? [])
        {
            if (annotation is null)
            {
                problems.Add("An annotation is missing.");
                continue;
            }
            CheckText(problems, "An annotation's text", annotation.Text, required: true);
            if (!labels.Contains(annotation.At ?? ""))
                problems.Add($"The annotation '{annotation.Text}' is at '{annotation.At}', which is not a point's label.");
        }
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing the problems, if there are any.</summary>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
            throw new ArgumentException("The chart cannot be drawn: " + string.Join(" ", problems));
    }

    private static void CheckText(List<string> problems, string name, string? text, bool required)
    {
        if (text is null || (required && string.IsNullOrWhiteSpace(text)))
            problems.Add($"{name} is required.");
        else if (text.Length > MaxTextLength || text.Any(char.IsControl))
            problems.Add($"{name} must be at most {MaxTextLength} printable characters.");
    }

    internal string Format(double value, int extraDecimals = 0)
    {
        var places = Decimals is { } d ? d + extraDecimals : 2;
        var format = places == 0 ? "#,0" : "#,0." + new string('#', places);
        var text = value.ToString(format, CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }
}
