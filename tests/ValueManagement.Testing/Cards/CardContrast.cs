using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ValueManagement.Testing.Json;

namespace ValueManagement.Testing.Cards;

/// <summary>A Teams theme, with the host config that says which colours Teams paints a card's text and containers in.</summary>
public sealed record TeamsTheme(string Name, string HostConfigFile)
{
    /// <summary>Teams' light and dark host configs (Microsoft's, vendored) and our model of its high-contrast theme (Schemas/README.md).</summary>
    public static IReadOnlyList<TeamsTheme> All { get; } =
    [
        new("light", "hostconfig-microsoft-teams-light.json"),
        new("dark", "hostconfig-microsoft-teams-dark.json"),
        new("high-contrast", "hostconfig-teams-high-contrast.json"),
    ];

    public static TeamsTheme Named(string name) => All.Single(t => t.Name == name);
}

/// <summary>One piece of text whose colour is too close to its background.</summary>
public sealed record ContrastProblem(string Path, string Text, string Color, bool IsSubtle, string ContainerStyle, double Ratio)
{
    public override string ToString() =>
        $"{Path}: \"{(Text.Length > 50 ? Text[..50] + "…" : Text)}\" {Color}{(IsSubtle ? " subtle" : "")} on {ContainerStyle}: {Ratio.ToString("0.00", CultureInfo.InvariantCulture)}:1";
}

/// <summary>
/// WCAG 2 contrast of every piece of text on a card, the way the Adaptive Cards renderers pick colours: a text's
/// colour name (default, accent, good, warning, attention, ...) and subtlety are looked up in the host config's
/// foreground colours of the container style in effect (a container's own style, else its parent's), and drawn on
/// that style's background. Colours are #AARRGGBB or #RRGGBB; a translucent colour is blended onto the background.
/// </summary>
public static class CardContrast
{
    /// <summary>WCAG 2 AA for normal text (1.4.3); applied to all text, large or not.</summary>
    public const double MinimumRatio = 4.5;

    public static IReadOnlyList<ContrastProblem> Check(JsonElement card, TeamsTheme theme) => Check(JsonNode.Parse(card.GetRawText())!, theme);

    public static IReadOnlyList<ContrastProblem> Check(string cardJson, TeamsTheme theme) => Check(JsonNode.Parse(cardJson)!, theme);

    private static IReadOnlyList<ContrastProblem> Check(JsonNode card, TeamsTheme theme)
    {
        ArgumentNullException.ThrowIfNull(theme);
        var hostConfig = LoadHostConfig(theme.HostConfigFile);
        var problems = new List<ContrastProblem>();
        var walker = new Walker(hostConfig, problems);
        walker.Card(card.AsObject(), "$", "default");
        return problems;
    }

    /// <summary>The WCAG contrast ratio of a foreground colour drawn on a background colour.</summary>
    public static double Ratio(string foreground, string background)
    {
        var back = Parse(background);
        var (fr, fg, fb, alpha) = Parse(foreground);
        var blended = (alpha * fr + (1 - alpha) * back.R, alpha * fg + (1 - alpha) * back.G, alpha * fb + (1 - alpha) * back.B);
        var l1 = Luminance(blended);
        var l2 = Luminance((back.R, back.G, back.B));
        return (Math.Max(l1, l2) + 0.05) / (Math.Min(l1, l2) + 0.05);
    }

    private static (double R, double G, double B, double A) Parse(string colour)
    {
        var hex = colour.TrimStart('#');
        double Channel(int at) => int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
        return hex.Length switch
        {
            8 => (Channel(2), Channel(4), Channel(6), Channel(0)),
            6 => (Channel(0), Channel(2), Channel(4), 1),
            _ => throw new FormatException($"Not a #AARRGGBB or #RRGGBB colour: {colour}"),
        };
    }

    private static double Luminance((double R, double G, double B) c)
    {
        static double Linear(double v) => v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
        return 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);
    }

    private static JsonObject LoadHostConfig(string file)
    {
        if (file.StartsWith("hostconfig-microsoft-", StringComparison.Ordinal)) return VendoredSchema.Load(file);
        using var stream = typeof(CardContrast).Assembly.GetManifestResourceStream($"ValueManagement.Testing.Schemas.{file}")
            ?? throw new InvalidOperationException($"{file} is not embedded in ValueManagement.Testing.");
        return JsonNode.Parse(stream)!.AsObject();
    }

    private sealed class Walker(JsonObject hostConfig, List<ContrastProblem> problems)
    {
        private static readonly HashSet<string> Containers = new(StringComparer.Ordinal) { "Container", "Column", "ColumnSet" };

        public void Card(JsonObject card, string path, string style)
        {
            Elements(card["body"] as JsonArray, path + ".body", style);
            Actions(card["actions"] as JsonArray, path + ".actions", style);
        }

        private void Elements(JsonArray? elements, string path, string style)
        {
            if (elements is null) return;
            for (var i = 0; i < elements.Count; i++)
            {
                if (elements[i] is JsonObject element) Element(element, $"{path}[{i}]", style);
            }
        }

        private void Element(JsonObject element, string path, string style)
        {
            var type = (string?)element["type"];
            if (type is not null && Containers.Contains(type)) style = (string?)element["style"] ?? style;
            switch (type)
            {
                case "TextBlock":
                    var heading = string.Equals((string?)element["style"], "heading", StringComparison.OrdinalIgnoreCase)
                        ? hostConfig["textStyles"]?["heading"] : null;
                    Text(path, (string?)element["text"], (string?)element["color"] ?? (string?)heading?["color"], (bool?)element["isSubtle"] ?? (bool?)heading?["isSubtle"] ?? false, style);
                    break;
                case "RichTextBlock":
                    var inlines = element["inlines"] as JsonArray ?? [];
                    for (var i = 0; i < inlines.Count; i++)
                    {
                        if (inlines[i] is JsonObject run) Text($"{path}.inlines[{i}]", (string?)run["text"], (string?)run["color"], (bool?)run["isSubtle"] ?? false, style);
                        else if (inlines[i] is JsonValue plain) Text($"{path}.inlines[{i}]", (string?)plain, null, false, style);
                    }
                    break;
                case "FactSet":
                    var facts = element["facts"] as JsonArray ?? [];
                    for (var i = 0; i < facts.Count; i++)
                    {
                        Text($"{path}.facts[{i}].title", (string?)facts[i]?["title"], null, false, style);
                        Text($"{path}.facts[{i}].value", (string?)facts[i]?["value"], null, false, style);
                    }
                    break;
                case "Table":
                    var rows = element["rows"] as JsonArray ?? [];
                    for (var r = 0; r < rows.Count; r++)
                    {
                        var rowStyle = (string?)rows[r]?["style"] ?? style;
                        var cells = rows[r]?["cells"] as JsonArray ?? [];
                        for (var c = 0; c < cells.Count; c++)
                            Elements(cells[c]?["items"] as JsonArray, $"{path}.rows[{r}].cells[{c}].items", (string?)cells[c]?["style"] ?? rowStyle);
                    }
                    break;
            }
            if (type?.StartsWith("Input.", StringComparison.Ordinal) == true) Text(path + ".label", (string?)element["label"], null, false, style);

            Elements(element["items"] as JsonArray, path + ".items", style);
            if (element["columns"] is JsonArray columns && type == "ColumnSet")
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    if (columns[i] is JsonObject column) Element(column, $"{path}.columns[{i}]", style);
                }
            }
            if (element["fallback"] is JsonObject fallback) Element(fallback, path + ".fallback", style);
            Actions(element["actions"] as JsonArray, path + ".actions", style);
        }

        private void Actions(JsonArray? actions, string path, string style)
        {
            if (actions is null) return;
            var showCardStyle = (string?)hostConfig["actions"]?["showCard"]?["style"] ?? style;
            for (var i = 0; i < actions.Count; i++)
            {
                if (actions[i]?["card"] is JsonObject card) Card(card, $"{path}[{i}].card", showCardStyle);
            }
        }

        private void Text(string path, string? text, string? color, bool isSubtle, string style)
        {
            if (string.IsNullOrWhiteSpace(text)) return;
            var styles = hostConfig["containerStyles"]!;
            var container = styles[style] ?? styles[style.ToLowerInvariant()] ?? styles["default"]!;
            var colorName = string.IsNullOrEmpty(color) ? "default" : char.ToLowerInvariant(color[0]) + color[1..];
            var foreground = (string)container["foregroundColors"]![colorName]![isSubtle ? "subtle" : "default"]!;
            var ratio = Ratio(foreground, (string)container["backgroundColor"]!);
            if (ratio < MinimumRatio) problems.Add(new ContrastProblem(path, text, colorName, isSubtle, style, ratio));
        }
    }
}
