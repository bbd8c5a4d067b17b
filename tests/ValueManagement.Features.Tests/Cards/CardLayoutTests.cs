using System.Text.Json;
using ValueManagement.Features.Cards;

namespace ValueManagement.Features.Tests.Cards;

/// <summary>
/// Teams' responsive layout on the cards with tables (the gallery, made by the bot from the demo data): at phone widths
/// (narrow) a stacked list with nothing side by side, so no column is squeezed until words break; at standard and wide
/// widths the table (box score, roll-up) or the facts (report-out).
/// </summary>
public sealed class CardLayoutTests
{
    private const string Narrow = "narrow";
    private const string Standard = "standard";

    public static TheoryData<string> ResponsiveKinds => new(["boxscore", "boxscore-awaiting-finance", "boxscore-no-figures", "boxscore-30-measures", "report",
        "rollup", "rollup-service", "rollup-large-board", "rollup-last-page"]);

    public static TheoryData<string> PhoneSafeKinds => ResponsiveKinds;

    public static TheoryData<string> RollupKinds => new(["rollup", "rollup-service", "rollup-large-board", "rollup-last-page"]);

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
    /// Both layouts list the same teams in the same order, and every team opens its box score at both: the table's team
    /// cell selects the verb and data of the stacked list's button.
    /// </summary>
    [Theory]
    [MemberData(nameof(RollupKinds))]
    public void Rollup_BothLayouts_ShowEveryTeam_AndEachOpensItsBoxScore(string kind)
    {
        var body = CardGallery.Build(kind).Card.GetProperty("body");
        var table = Assert.Single(Visible(body, Standard), e => Type(e) == "Table");
        var teamCells = table.GetProperty("rows").EnumerateArray().Skip(1)
            .Where(r => r.GetProperty("cells").GetArrayLength() > 1)
            .Select(r => r.GetProperty("cells")[0])
            .ToList();
        var buttons = Visible(body, Narrow).Where(e => Type(e) == "ActionSet")
            .SelectMany(e => e.GetProperty("actions").EnumerateArray())
            .Where(a => a.GetProperty("verb").GetString() == "showBoxScore")
            .ToList();

        Assert.NotEmpty(teamCells);
        Assert.Equal(buttons.Count, teamCells.Count);
        Assert.Equal(buttons.Select(b => b.GetProperty("data").GetRawText()), teamCells.Select(c => c.GetProperty("selectAction").GetProperty("data").GetRawText()));
        Assert.All(teamCells, c => Assert.Equal("showBoxScore", c.GetProperty("selectAction").GetProperty("verb").GetString()));
        Assert.DoesNotContain(Visible(body, Standard).Where(e => Type(e) == "ActionSet").SelectMany(e => e.GetProperty("actions").EnumerateArray()),
            a => a.GetProperty("verb").GetString() == "showBoxScore");
        // One line per team in the table: no reasons repeated there (the stacked list and the box score give them).
        Assert.DoesNotContain(CardSymbolTests.Texts(table), t => t.Contains("Needs a look", StringComparison.Ordinal));
    }

    /// <summary>A full page (15 of the large board's 45 teams) carries the table and the stacked list within budget.</summary>
    [Fact]
    public void FullRollupPage_WithBothLayouts_StaysWellUnderTeamsLimit()
    {
        var card = CardGallery.Build("rollup-large-board");
        Assert.Contains(Visible(card.Card.GetProperty("body"), Standard), e => Type(e) == "Table");
        Assert.InRange(card.SizeInBytes, 1, 26 * 1024);
    }

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
