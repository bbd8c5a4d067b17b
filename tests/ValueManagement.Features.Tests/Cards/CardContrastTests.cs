using ValueManagement.Features.Cards;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Features.Tests.Cards;

/// <summary>
/// Every text on every card kind the bot sends (the gallery, made by the bot from the demo data) meets WCAG AA, 4.5:1,
/// against the background Teams paints it on, in Teams' light, dark and high-contrast themes, from the host configs.
/// </summary>
public sealed class CardContrastTests
{
    public static TheoryData<string, string> KindsAndThemes()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in CardGallery.Kinds)
            foreach (var theme in TeamsTheme.All) data.Add(kind, theme.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(KindsAndThemes))]
    public void GalleryCard_TextMeetsWcagAA(string kind, string theme)
    {
        var problems = CardContrast.Check(CardGallery.Build(kind).Card, TeamsTheme.Named(theme));

        Assert.True(problems.Count == 0, $"The '{kind}' card in Teams' {theme} theme has text below {CardContrast.MinimumRatio}:1:\n" + string.Join("\n", problems));
    }

    // ---- the checker itself, on the figures the issue measured ----

    [Theory]
    [InlineData("Good", "light", 2.07)]
    [InlineData("Warning", "light", 1.47)]
    [InlineData("Attention", "dark", 3.24)]
    public void Check_ColouredText_IsMeasuredAgainstTheThemesBackground(string color, string theme, double expected)
    {
        var card = $$"""{ "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "TextBlock", "text": "▲ improving", "color": "{{color}}" } ] }""";

        var problem = Assert.Single(CardContrast.Check(card, TeamsTheme.Named(theme)));

        Assert.Equal(expected, problem.Ratio, 2);
        Assert.Equal("$.body[0]", problem.Path);
    }

    [Fact]
    public void Check_TextInAStyledCell_UsesThatStylesColours()
    {
        // Default text on Teams' "good" container is dark on pale green in both themes; accent text there passes in light only.
        var card = """
            { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "Table", "columns": [ { "width": 1 } ],
              "rows": [ { "cells": [ { "style": "good", "items": [ { "type": "TextBlock", "text": "● 48%" }, { "type": "TextBlock", "text": "x", "color": "accent" } ] } ] } ] } ] }
            """;

        Assert.Empty(CardContrast.Check(card, TeamsTheme.Named("light")));
        var dark = Assert.Single(CardContrast.Check(card, TeamsTheme.Named("dark")));
        Assert.Equal(("$.body[0].rows[0].cells[0].items[1]", "good"), (dark.Path, dark.ContainerStyle));
    }

    [Fact]
    public void Ratio_BlackOnWhite_Is21() => Assert.Equal(21, CardContrast.Ratio("#000000", "#ffffff"), 2);
}
