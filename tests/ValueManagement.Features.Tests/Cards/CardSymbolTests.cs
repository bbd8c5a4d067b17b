using System.Text.Json;
using System.Text.RegularExpressions;
using ValueManagement.Features.Cards;

namespace ValueManagement.Features.Tests.Cards;

/// <summary>
/// One meaning per symbol on every card kind the bot sends: ▲ ▼ only for the direction a value moved (followed by the
/// size of the move), ⊕ ⊖ ◆ for signals, ● ◐ ✖ ○ for ratings; a key on each card that shows them; and differences of
/// percentages in points.
/// </summary>
public sealed partial class CardSymbolTests
{
    public static TheoryData<string> Kinds => new(CardGallery.Kinds);

    private const string Symbols = "●◐✖▲▼▶⊕⊖◆";

    [Theory]
    [MemberData(nameof(Kinds))]
    public void UpAndDownArrows_OnlyEverMeanTheValueMoved(string kind)
    {
        var texts = Texts(CardGallery.Build(kind).Card).Where(t => !IsKey(t)).ToList();

        // "▲ £4.94 worse", "▼ 1", never "▲ improving".
        Assert.All(texts, t => Assert.DoesNotMatch(ArrowNotFollowedByAnAmount(), t));
        Assert.All(texts, t => Assert.DoesNotMatch(SignalWordWithoutItsSymbol(), t));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PercentageDifferences_AreInPoints(string kind)
    {
        var texts = Texts(CardGallery.Build(kind).Card).ToList();

        Assert.All(texts, t => Assert.DoesNotMatch(PercentDifference(), t));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EverySymbolShown_IsInTheCardsKey(string kind)
    {
        var texts = Texts(CardGallery.Build(kind).Card).ToList();
        var used = Symbols.Where(s => texts.Any(t => !IsKey(t) && t.Contains(s, StringComparison.Ordinal))).ToList();
        if (used.Count == 0) return;

        var key = Assert.Single(texts, IsKey);
        Assert.All(used, s => Assert.Contains(s.ToString(), key, StringComparison.Ordinal));
    }

    [Fact]
    public void TheBoxScore_ShowsAPercentageChangeInPoints()
    {
        var texts = Texts(CardGallery.Build("boxscore").Card).ToList();

        Assert.Contains(texts, t => PointsDifference().IsMatch(t));
    }

    private static bool IsKey(string text) => text.StartsWith("Key: ", StringComparison.Ordinal);

    /// <summary>Every text a person reads on the card: text blocks, text runs, facts.</summary>
    public static IEnumerable<string> Texts(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Name is "text" or "title" or "value" && Readable(element))
                        yield return property.Value.GetString()!;
                    else
                        foreach (var text in Texts(property.Value)) yield return text;
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    foreach (var text in Texts(item)) yield return text;
                break;
        }
    }

    private static bool Readable(JsonElement element) =>
        !element.TryGetProperty("type", out var type) || type.GetString() is "TextBlock" or "TextRun";

    [GeneratedRegex(@"[▲▼](?! (-|£|−)?\d)")]
    private static partial Regex ArrowNotFollowedByAnAmount();

    // A signal in words ("⊕ improving: 7 weeks below average", "Falls (⊖ worsening)") carries its symbol; prose
    // such as "a measure worsening for real" is not a signal.
    [GeneratedRegex(@"(?<![⊕⊖] )\b(improving|worsening)(:|\))")]
    private static partial Regex SignalWordWithoutItsSymbol();

    [GeneratedRegex(@"[▲▼] [\d.,]+%")]
    private static partial Regex PercentDifference();

    [GeneratedRegex(@"[▲▼] [\d.,]+ points? (better|worse)")]
    private static partial Regex PointsDifference();
}
