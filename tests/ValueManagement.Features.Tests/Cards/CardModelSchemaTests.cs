using System.Text.Json;
using ValueManagement.Teams.Cards;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Features.Tests.Cards;

/// <summary>
/// Every part of the card model serialises to JSON the official schema accepts, so a new card kind
/// starts from valid parts. One exception: <see cref="ChoiceInputStyle.Filtered"/> is missing from
/// the 1.5 schema (it first appears in the 1.6 schema file), so the validator and the shared checker
/// reject it. Do not use it in a card.
/// </summary>
public sealed class CardModelSchemaTests
{
    [Fact]
    public void EveryModelElementAndAction_SerialisesToSchemaValidJson()
    {
        var card = new AdaptiveCard
        {
            Body =
            [
                new TextBlock("Box score") { Size = TextSize.ExtraLarge, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading, Color = TextColor.Accent, HorizontalAlignment = HorizontalAlignment.Center, MaxLines = 2 },
                new RichTextBlock([new TextRun("Cost per patient ") { IsSubtle = true }, new TextRun("£438.5") { Weight = FontWeight.Bolder, Color = TextColor.Good, Size = TextSize.Large }]),
                new Container(
                [
                    new ColumnSet(
                    [
                        new Column([new TextBlock("Falls")]) { Width = "auto", VerticalContentAlignment = VerticalContentAlignment.Center },
                        new Column([new TextBlock("3 ▼")]) { Width = "stretch", Style = ContainerStyle.Good, Spacing = Spacing.Small },
                    ]),
                ])
                { Style = ContainerStyle.Emphasis, Bleed = true, Separator = true, Spacing = Spacing.Large, SelectAction = new OpenUrlAction("https://example.org/ward-7") },
                new FactSet([new Fact("Week", "2026-W48"), new Fact("Team", "Ward 7")]) { Id = "facts", IsVisible = false },
                new Image("https://example.org/chart.png", "Run chart of falls") { Size = ImageSize.Large, Width = "400px", HorizontalAlignment = HorizontalAlignment.Left, MsTeams = new TeamsImageProperties(true) },
                new Table(
                    [new TableColumnDefinition(2), new TableColumnDefinition(1) { HorizontalCellContentAlignment = HorizontalAlignment.Right }],
                    [
                        new TableRow([new TableCell([new TextBlock("Measure")]), new TableCell([new TextBlock("This week")])]) { Style = ContainerStyle.Accent },
                        new TableRow([new TableCell([new TextBlock("Falls")]), new TableCell([new TextBlock("3")]) { Style = ContainerStyle.Good }]),
                    ])
                { GridStyle = ContainerStyle.Accent, Fallback = new TextBlock("Falls: 3") },
                new NumberInput { Id = "falls", Label = "Falls", IsRequired = true, ErrorMessage = "Enter a whole number", Min = 0, Max = 100, Value = 3, Placeholder = "0" },
                new TextInput { Id = "comment", Label = "Comment", IsMultiline = true, MaxLength = 500, Placeholder = "What happened?", Regex = "^[^0-9]*$" },
                new ChoiceSetInput([new Choice("Ward 7", "ward-7"), new Choice("Ward 8", "ward-8")]) { Id = "team", Label = "Team", Style = ChoiceInputStyle.Expanded, IsMultiSelect = false, Value = "ward-7" },
                new ActionSet([CardActions.Execute("Submit", "submitWeek", new Dictionary<string, object?> { ["week"] = "2026-W48" }, ActionStyle.Positive)]),
            ],
            Actions =
            [
                new ShowCardAction(new AdaptiveCard { Body = [new TextBlock("Details")] }) { Title = "More" },
                new ToggleVisibilityAction(["facts"]) { Title = "Facts", Tooltip = "Show the facts" },
                new OpenUrlAction("https://example.org/help") { Title = "Guide" },
            ],
            FallbackText = "Box score for Ward 7",
            Speak = "Box score",
            Refresh = new CardRefresh(new ExecuteAction("refreshBoxScore") { Data = JsonSerializer.SerializeToElement(new { team = "ward-7" }) }) { UserIds = [] },
        };

        AdaptiveCardSchema.Validate(card).AssertValid("A card using the whole model");
    }

    public static TheoryData<TargetWidth> TargetWidths => new(Enum.GetValues<TargetWidth>());

    [Theory]
    [MemberData(nameof(TargetWidths))]
    public void EveryTargetWidth_SerialisesToAValueTeamsKnows(TargetWidth width)
    {
        var card = new AdaptiveCard { Body = [new TextBlock("Falls") { TargetWidth = width }, new Container([new TextBlock("3")]) { TargetWidth = width }] };

        Assert.Matches("\"targetWidth\":\"(atMost:|atLeast:)?(veryNarrow|narrow|standard|wide)\"", CardJson.ToJson(card));
        AdaptiveCardSchema.Validate(card).AssertValid($"A card with targetWidth {width}");
    }

    [Fact]
    public void UnknownTargetWidth_IsRejected()
    {
        var json = CardJson.ToJson(new AdaptiveCard { Body = [new TextBlock("Falls") { TargetWidth = TargetWidth.AtMostNarrow }] }).Replace("atMost:narrow", "phone", StringComparison.Ordinal);

        Assert.True(AdaptiveCardSchema.Validate(json).Has("$.body[0].targetWidth", "invalid value \"phone\""), AdaptiveCardSchema.Validate(json).ToString());
    }

    [Fact]
    public void FilteredChoiceSet_IsRejected_TheOneSchemaVersionGap()
    {
        var card = new AdaptiveCard { Body = [new ChoiceSetInput([new Choice("Ward 7", "ward-7")]) { Id = "team", Style = ChoiceInputStyle.Filtered }] };

        var report = AdaptiveCardSchema.Validate(card);

        Assert.True(report.Has("$.body[0].style", "allowed: compact, expanded"), report.ToString());
    }
}
