using System.Globalization;

namespace ValueManagement.Core.Signals;

/// <summary>
/// The one line a ward team reads on the box-score card, about the latest point: what kind of variation, and the
/// pattern behind a signal, in words (⊕ / ⊖ / ◆ mark improvement, worsening and neutral change, so colour is never the
/// only signal; ▲ and ▼ on the cards mean only "went up" and "went down").
/// </summary>
internal static class SignalDescriber
{
    public const string NoSignal = "common cause variation: no signal";

    public static string Describe(SignalRuleSet ruleSet, SignalPoint last, int side, int extent, SignalPeriod period, string noun)
    {
        if (last.Rule == SignalRule.None) return NoSignal;

        var head = Head(last);
        var centre = ruleSet == SignalRuleSet.Xmr ? "average" : "the median";
        var high = side > 0;

        var pattern = last.Rule switch
        {
            SignalRule.OutsideLimits => $"latest {noun} {(high ? "above the upper" : "below the lower")} limit",
            SignalRule.Trend => $"{(high ? "rising" : "falling")} over the last {Count(extent, noun)}",
            SignalRule.TwoOfThree => $"{extent} of the last 3 {Plural(noun)} close to the {(high ? "upper" : "lower")} limit",
            SignalRule.Shift => $"{Count(extent, noun)} {(high ? "above" : "below")} {centre}",
            SignalRule.Runs => Runs(period.Runs, noun),
            _ => throw new InvalidOperationException($"No description for {last.Rule}."),
        };
        return $"{head}: {pattern}";
    }

    /// <summary>"⊕ improving", "⊖ worsening", "◆ unusual pattern", "◆ real change": what kind of special cause a point is.</summary>
    public static string Head(SignalPoint point) => point.SpecialCause switch
    {
        SpecialCause.Improvement => "⊕ improving",
        SpecialCause.Concern => "⊖ worsening",
        _ when point.Rule == SignalRule.Runs => "◆ unusual pattern",
        _ => "◆ real change",
    };

    private static string Runs(RunsTest? test, string noun)
    {
        if (test?.Critical is not { } critical) return "runs around the median";
        var often = test.TooFew ? "too rarely" : "too often";
        var expected = (critical.Lower, critical.Upper) switch
        {
            ({ } lower, { } upper) => $"{lower + 1} to {upper - 1}",
            ({ } lower, null) => $"more than {lower}",
            (null, { } upper) => $"fewer than {upper}",
            _ => "any number",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"the line crosses the median {often} ({test.Runs} runs in {Count(test.UsefulPoints, noun)}; {expected} expected by chance)");
    }

    private static string Count(int count, string noun) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? noun : Plural(noun))}");

    private static string Plural(string noun) => noun.EndsWith('s') ? noun : noun + "s";
}
