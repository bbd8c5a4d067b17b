using System.Text.Json;
using ValueManagement.Features.Cards;

namespace ValueManagement.Features.Tests.Cards;

/// <summary>
/// Teams' responsive layout on the cards with tables (the gallery, made by the bot from the demo data): at phone widths
/// (narrow) a stacked list with nothing side by side, so no column is squeezed until words break; at standard and wide
/// widths the table (box score) or the facts (report-out).
/// </summary>
public sealed class CardLayoutTests
{
    private const string Narrow = "narrow";
    private const string Standard = "standard";

    public static TheoryData<string> ResponsiveKinds => new(["boxscore", "boxscore-awaiting-finance", "boxscore-no-figures", "boxscore-30-measures", "report"]);

    /// <summary>The roll-up has one layout, a stack of full-width lines per team, which fits every width.</summary>
    public static TheoryData<string> PhoneSafeKinds => new([.. ResponsiveKinds, "rollup", "rollup-service", "rollup-large-board", "rollup-last-page"]);

    [Theory]
    [MemberData(nameof(PhoneSafeKinds))]
    public void AtPhoneWidth_NothingSitsSideBySide(string kind)
    {
        var narrow = Visible(CardGallery.Build(kind).Card.GetProperty("body"), Narrow).ToList();

        Assert.DoesNotContain(narrow, e => Type(e) is "Table" or "FactSet");
        Assert.DoesNotContain(narrow, e => Type(e) == "ColumnSet" && e.GetProperty("columns").GetArrayLength() > 1);
    }

    [Theory]
    [MemberData(nameof(ResponsiveKinds))]
    public void AtStandardWidth_TheTableOrFactsAreShown_AndNotTheStackedList(string kind)
    {
        var body = CardGallery.Build(kind).Card.GetProperty("body");
        var wide = Visible(body, Standard).ToList();

        Assert.Contains(wide, e => Type(e) is "Table" or "FactSet");
        Assert.DoesNotContain(wide, e => TargetWidth(e) == "atMost:narrow");
        Assert.Contains(Visible(body, Narrow), e => TargetWidth(e) == "atMost:narrow");
    }

    [Theory]
    [InlineData("boxscore")]
    [InlineData("boxscore-30-measures")]
    public void BoxScore_BothLayouts_ShowEveryMeasure(string kind)
    {
        var body = CardGallery.Build(kind).Card.GetProperty("body");
        var table = Assert.Single(Visible(body, Standard), e => Type(e) == "Table");
        var names = table.GetProperty("rows").EnumerateArray().Skip(1)
            .Where(r => r.GetProperty("cells").GetArrayLength() > 1)
            .Select(r => r.GetProperty("cells")[0].GetProperty("items")[0].GetProperty("text").GetString()!)
            .ToList();
        var stacked = string.Join("\n", Visible(body, Narrow).SelectMany(e => CardSymbolTests.Texts(e)));

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Contains(name + ": ", stacked, StringComparison.Ordinal));
    }

    [Fact]
    public void ThirtyMeasureBoxScore_WithBothLayouts_StaysWellUnderTeamsLimit() =>
        Assert.InRange(CardGallery.Build("boxscore-30-measures").SizeInBytes, 1, 26 * 1024);

    /// <summary>
    /// The elements Teams shows at a width class, as its responsive layout decides from <c>targetWidth</c>, all the way
    /// down (containers' items, table cells, columns).
    /// </summary>
    private static IEnumerable<JsonElement> Visible(JsonElement elements, string width)
    {
        foreach (var element in elements.EnumerateArray())
        {
            if (!ShownAt(TargetWidth(element), width)) continue;
            yield return element;
            var children = new List<JsonElement>();
            if (element.TryGetProperty("items", out var items)) children.Add(items);
            if (element.TryGetProperty("columns", out var columns) && Type(element) == "ColumnSet") children.Add(columns);
            if (element.TryGetProperty("rows", out var rows))
                foreach (var row in rows.EnumerateArray())
                    foreach (var cell in row.GetProperty("cells").EnumerateArray()) children.Add(cell.GetProperty("items"));
            foreach (var child in children)
                foreach (var visible in Visible(child, width)) yield return visible;
        }
    }

    private static readonly string[] Widths = ["veryNarrow", Narrow, Standard, "wide"];

    private static bool ShownAt(string? targetWidth, string width)
    {
        if (targetWidth is null) return true;
        var at = Array.IndexOf(Widths, width);
        var parts = targetWidth.Split(':');
        if (parts.Length == 1) return parts[0] == width;
        var bound = Array.IndexOf(Widths, parts[1]);
        Assert.True(bound >= 0, $"Unknown width in targetWidth \"{targetWidth}\"");
        return parts[0] switch
        {
            "atMost" => at <= bound,
            "atLeast" => at >= bound,
            _ => throw new InvalidOperationException($"Unknown targetWidth \"{targetWidth}\""),
        };
    }

    private static string? TargetWidth(JsonElement element) =>
        element.TryGetProperty("targetWidth", out var value) ? value.GetString() : null;

    private static string? Type(JsonElement element) =>
        element.TryGetProperty("type", out var type) ? type.GetString() : null;
}
