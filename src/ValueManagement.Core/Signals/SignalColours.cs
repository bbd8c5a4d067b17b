namespace ValueManagement.Core.Signals;

/// <summary>
/// The Making Data Count colours, for the chart renderer. Colour is never the only signal: every point also carries its
/// <see cref="SpecialCause"/> and <see cref="SignalRule"/>, and the summary its plain-English description.
/// </summary>
public static class SignalColours
{
    public const string CommonCause = "#A6A6A6";
    public const string Improvement = "#00B0F0";
    public const string Concern = "#E46C0A";
    public const string Neutral = "#490092";

    /// <summary>The colour of each kind of point.</summary>
    public static IReadOnlyDictionary<SpecialCause, string> Table { get; } = new Dictionary<SpecialCause, string>
    {
        [SpecialCause.None] = CommonCause,
        [SpecialCause.Improvement] = Improvement,
        [SpecialCause.Concern] = Concern,
        [SpecialCause.Neutral] = Neutral,
    };

    public static string For(SpecialCause cause) => cause switch
    {
        SpecialCause.Improvement => Improvement,
        SpecialCause.Concern => Concern,
        SpecialCause.Neutral => Neutral,
        _ => CommonCause,
    };

    /// <summary>The colour of a variation icon: that of the special cause it shows.</summary>
    public static string For(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh or VariationIcon.ImprovementLow => Improvement,
        VariationIcon.ConcernHigh or VariationIcon.ConcernLow => Concern,
        VariationIcon.NeitherHigh or VariationIcon.NeitherLow => Neutral,
        _ => CommonCause,
    };
}
