using System.Text.Json;
using System.Text.Json.Serialization;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Cards;

/// <summary>
/// A small typed model of Adaptive Cards 1.5, the highest version Teams renders. Every card the bot
/// sends is built from these records and serialised by <see cref="CardJson"/>; nothing is written as
/// raw JSON. Only the parts of the schema the bot uses are modelled.
/// </summary>
public sealed record AdaptiveCard
{
    [JsonPropertyOrder(-10)]
    public string Type => "AdaptiveCard";

    [JsonPropertyName("$schema")]
    [JsonPropertyOrder(-9)]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";

    [JsonPropertyOrder(-8)]
    public string Version { get; init; } = "1.5";

    public IReadOnlyList<CardElement> Body { get; init; } = [];
    public IReadOnlyList<CardAction>? Actions { get; init; }
    public string? FallbackText { get; init; }
    public string? Speak { get; init; }
    public CardRefresh? Refresh { get; init; }

    [JsonPropertyName("msteams")]
    public TeamsCardProperties MsTeams { get; init; } = new();

    public AdaptiveCardAttachmentContent ToAttachmentContent() => new(CardJson.ToElement(this));
}

public sealed record TeamsCardProperties
{
    public string Width { get; init; } = "Full";
    public IReadOnlyList<Entity>? Entities { get; init; }
}

/// <summary>Lets Teams ask the bot for a fresh, user-specific card (Universal Actions).</summary>
public sealed record CardRefresh(ExecuteAction Action)
{
    public IReadOnlyList<string>? UserIds { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(TextBlock), "TextBlock")]
[JsonDerivedType(typeof(RichTextBlock), "RichTextBlock")]
[JsonDerivedType(typeof(Container), "Container")]
[JsonDerivedType(typeof(ColumnSet), "ColumnSet")]
[JsonDerivedType(typeof(FactSet), "FactSet")]
[JsonDerivedType(typeof(Image), "Image")]
[JsonDerivedType(typeof(ActionSet), "ActionSet")]
[JsonDerivedType(typeof(Table), "Table")]
[JsonDerivedType(typeof(NumberInput), "Input.Number")]
[JsonDerivedType(typeof(TextInput), "Input.Text")]
[JsonDerivedType(typeof(ChoiceSetInput), "Input.ChoiceSet")]
public abstract record CardElement
{
    public string? Id { get; init; }
    public Spacing? Spacing { get; init; }
    public bool? Separator { get; init; }
    public bool? IsVisible { get; init; }

    /// <summary>
    /// Teams' responsive layout: the card widths at which the element is shown (unset: all). Teams sorts a card's width
    /// into very narrow, narrow (phones), standard and wide; a card can carry a stacked layout for narrow widths and a
    /// table for the wider ones.
    /// </summary>
    public TargetWidth? TargetWidth { get; init; }
}

public sealed record TextBlock(string Text) : CardElement
{
    /// <summary>Text from an interpolated string: each hole is escaped as markdown (see <see cref="CardText"/>).</summary>
    public TextBlock(CardMarkdownHandler text) : this(text.ToString())
    {
    }

    public bool Wrap { get; init; } = true;
    public TextSize? Size { get; init; }
    public FontWeight? Weight { get; init; }
    public TextColor? Color { get; init; }
    public bool? IsSubtle { get; init; }
    public HorizontalAlignment? HorizontalAlignment { get; init; }
    public int? MaxLines { get; init; }
    public TextBlockStyle? Style { get; init; }
}

public sealed record RichTextBlock(IReadOnlyList<TextRun> Inlines) : CardElement;

public sealed record TextRun(string Text)
{
    [JsonPropertyOrder(-10)]
    public string Type => "TextRun";
    public TextColor? Color { get; init; }
    public FontWeight? Weight { get; init; }
    public bool? IsSubtle { get; init; }
    public TextSize? Size { get; init; }
}

public sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    public ContainerStyle? Style { get; init; }
    public bool? Bleed { get; init; }
    public CardAction? SelectAction { get; init; }
}

public sealed record ColumnSet(IReadOnlyList<Column> Columns) : CardElement;

public sealed record Column(IReadOnlyList<CardElement> Items)
{
    [JsonPropertyOrder(-10)]
    public string Type => "Column";
    /// <summary>"auto", "stretch", or a relative weight such as "2".</summary>
    public string? Width { get; init; }
    public VerticalContentAlignment? VerticalContentAlignment { get; init; }
    public Spacing? Spacing { get; init; }
    public ContainerStyle? Style { get; init; }
}

public sealed record FactSet(IReadOnlyList<Fact> Facts) : CardElement;

/// <summary>Teams renders both as markdown: escape text people typed with <see cref="CardText.Escape"/>.</summary>
public sealed record Fact(string Title, string Value);

public sealed record Image(string Url, string AltText) : CardElement
{
    public ImageSize? Size { get; init; }
    public string? Width { get; init; }
    public string? Height { get; init; }
    public HorizontalAlignment? HorizontalAlignment { get; init; }

    [JsonPropertyName("msteams")]
    public TeamsImageProperties? MsTeams { get; init; }
}

public sealed record TeamsImageProperties(bool AllowExpand);

public sealed record ActionSet(IReadOnlyList<CardAction> Actions) : CardElement;

public sealed record Table(IReadOnlyList<TableColumnDefinition> Columns, IReadOnlyList<TableRow> Rows) : CardElement
{
    /// <summary>The 1.5 schema spells it <c>firstRowAsHeader</c>; renderers read <c>firstRowAsHeaders</c>. Both are written.</summary>
    public bool FirstRowAsHeader { get; init; } = true;

    /// <summary>
    /// The spelling the renderers read (microsoft/AdaptiveCards#8599), mirroring <see cref="FirstRowAsHeader"/>;
    /// written last in the object.
    /// </summary>
    [JsonPropertyOrder(1000)]
    public bool FirstRowAsHeaders => FirstRowAsHeader;

    public bool ShowGridLines { get; init; } = true;
    public ContainerStyle? GridStyle { get; init; }
    /// <summary>What Teams clients without Table support (older mobile) show instead.</summary>
    public CardElement? Fallback { get; init; }
}

// Columns, rows and cells are written without "type": it can only be TableColumnDefinition, TableRow and TableCell there,
// the 1.5 schema does not require it, and the renderers Teams uses (the JS SDK; the shared object model of the mobile
// SDKs) take a missing type as that one type. A 30-measure table has about 250 cells, so the name costs about 5 KB.
public sealed record TableColumnDefinition(int Width)
{
    public HorizontalAlignment? HorizontalCellContentAlignment { get; init; }
}

public sealed record TableRow(IReadOnlyList<TableCell> Cells)
{
    public ContainerStyle? Style { get; init; }
}

public sealed record TableCell(IReadOnlyList<CardElement> Items)
{
    public ContainerStyle? Style { get; init; }
    /// <summary>What selecting the cell does (a table row has no action of its own in 1.5).</summary>
    public CardAction? SelectAction { get; init; }
}

public abstract record CardInput : CardElement
{
    public string? Label { get; init; }
    public bool? IsRequired { get; init; }
    public string? ErrorMessage { get; init; }
}

public sealed record NumberInput : CardInput
{
    public double? Min { get; init; }
    public double? Max { get; init; }
    public double? Value { get; init; }
    public string? Placeholder { get; init; }
}

public sealed record TextInput : CardInput
{
    public bool? IsMultiline { get; init; }
    public int? MaxLength { get; init; }
    public string? Value { get; init; }
    public string? Placeholder { get; init; }
    public string? Regex { get; init; }
}

public sealed record ChoiceSetInput(IReadOnlyList<Choice> Choices) : CardInput
{
    public string? Value { get; init; }
    public ChoiceInputStyle? Style { get; init; }
    public bool? IsMultiSelect { get; init; }
    public string? Placeholder { get; init; }
}

public sealed record Choice(string Title, string Value);

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "Action.Execute")]
[JsonDerivedType(typeof(SubmitAction), "Action.Submit")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
[JsonDerivedType(typeof(ShowCardAction), "Action.ShowCard")]
[JsonDerivedType(typeof(ToggleVisibilityAction), "Action.ToggleVisibility")]
public abstract record CardAction
{
    public string? Id { get; init; }
    public string? Title { get; init; }
    public ActionStyle? Style { get; init; }
    public string? Tooltip { get; init; }
}

/// <summary>
/// A Universal Action: Teams sends an <c>adaptiveCard/action</c> invoke with this verb and data.
/// Use <see cref="CardActions.Execute"/> so that old clients get an <c>Action.Submit</c> fallback.
/// </summary>
public sealed record ExecuteAction(string Verb) : CardAction
{
    public JsonElement? Data { get; init; }
    public AssociatedInputs? AssociatedInputs { get; init; }
    public CardAction? Fallback { get; init; }
}

public sealed record SubmitAction : CardAction
{
    public JsonElement? Data { get; init; }
    public AssociatedInputs? AssociatedInputs { get; init; }
}

public sealed record OpenUrlAction(string Url) : CardAction;

public sealed record ShowCardAction(AdaptiveCard Card) : CardAction;

public sealed record ToggleVisibilityAction(IReadOnlyList<string> TargetElements) : CardAction;

public enum TextSize { Default, Small, Medium, Large, ExtraLarge }
public enum FontWeight { Default, Lighter, Bolder }
public enum TextColor { Default, Dark, Light, Accent, Good, Warning, Attention }
public enum Spacing { Default, None, Small, Medium, Large, ExtraLarge, Padding }
public enum ContainerStyle { Default, Emphasis, Good, Attention, Warning, Accent }
public enum ImageSize { Auto, Stretch, Small, Medium, Large }
public enum HorizontalAlignment { Left, Center, Right }
public enum VerticalContentAlignment { Top, Center, Bottom }
public enum TextBlockStyle { Default, Heading }
public enum ActionStyle { Default, Positive, Destructive }
public enum ChoiceInputStyle { Compact, Expanded, Filtered }
public enum AssociatedInputs { Auto, None }

/// <summary>The values of Teams' <c>targetWidth</c>: one width class, or that class and those below or above it.</summary>
public enum TargetWidth
{
    [JsonStringEnumMemberName("veryNarrow")] VeryNarrow,
    [JsonStringEnumMemberName("narrow")] Narrow,
    [JsonStringEnumMemberName("standard")] Standard,
    [JsonStringEnumMemberName("wide")] Wide,
    [JsonStringEnumMemberName("atMost:veryNarrow")] AtMostVeryNarrow,
    [JsonStringEnumMemberName("atMost:narrow")] AtMostNarrow,
    [JsonStringEnumMemberName("atMost:standard")] AtMostStandard,
    [JsonStringEnumMemberName("atLeast:narrow")] AtLeastNarrow,
    [JsonStringEnumMemberName("atLeast:standard")] AtLeastStandard,
    [JsonStringEnumMemberName("atLeast:wide")] AtLeastWide,
}
