using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Schema;
using ValueManagement.Testing.Json;

namespace ValueManagement.Testing.Cards;

/// <summary>The Teams rules a card must meet besides the schema. <see cref="Teams"/> is what the bot's cards follow.</summary>
public sealed record CardRules
{
    public static CardRules Teams { get; } = new();

    /// <summary>The exact <c>version</c> the top-level card declares (Teams renders up to 1.5).</summary>
    public string Version { get; init; } = "1.5";

    /// <summary>The largest card, in UTF-8 bytes of its JSON. The default, 28 KB, is Teams' limit for
    /// message-extension cards; a bot message may be larger, but no card of ours should come near it.</summary>
    public int MaxBytes { get; init; } = 28 * 1024;

    /// <summary>Require <c>msteams.width = "Full"</c>: box scores and forms need the whole message width.</summary>
    public bool RequireFullWidth { get; init; } = true;
}

/// <summary>
/// Checks card JSON against the official Adaptive Cards 1.5 schema (vendored in <c>Schemas/</c>)
/// and the Teams rules in <see cref="CardRules"/>. Every overload checks the exact JSON the bot puts
/// in the attachment, not a re-serialisation of the model.
/// <code>
/// AdaptiveCardSchema.Validate(card).AssertValid("the help card");        // in a test
/// var report = AdaptiveCardSchema.Validate(json);                        // or look at report.Problems
/// AdaptiveCardSchema.ValidateActivity(sentActivity).AssertValid("reply"); // every card attachment
/// </code>
/// Each problem is a JSONPath and a message, for example <c>[schema] $.body[1]: unknown type "Chart"; allowed here: ActionSet, ...</c>
/// or <c>[teams] $.body[3].altText: every Image needs a non-empty altText ...</c>.
/// </summary>
public static class AdaptiveCardSchema
{
    public const string SchemaFile = "adaptive-card-1.5.0.json";

    private static readonly Lazy<(JsonSchema Schema, JsonObject Document)> Loaded = new(Load);

    public static ValidationReport Validate(AdaptiveCard card, CardRules? rules = null) =>
        Validate(card.ToAttachmentContent(), rules);

    public static ValidationReport Validate(AdaptiveCardAttachmentContent content, CardRules? rules = null) =>
        Validate(content.Json, rules);

    public static ValidationReport Validate(string json, CardRules? rules = null)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return new ValidationReport([new SchemaProblem("$", $"not valid JSON: {e.Message}", "json")]);
        }
        using (document)
        {
            return Validate(document.RootElement, rules);
        }
    }

    public static ValidationReport Validate(JsonElement card, CardRules? rules = null) =>
        new(Check(card, rules ?? CardRules.Teams, "$"));

    /// <summary>Every Adaptive Card attachment of an activity the bot sends; paths start at the activity.</summary>
    public static ValidationReport ValidateActivity(Activity activity, CardRules? rules = null)
    {
        var problems = new List<SchemaProblem>();
        var attachments = activity.Attachments ?? [];
        for (var i = 0; i < attachments.Count; i++)
        {
            var attachment = attachments[i];
            if (attachment.ContentType != Attachment.AdaptiveCardContentType) continue;
            var at = $"$.attachments[{i}].content";
            if (attachment.Content is { } content)
                problems.AddRange(Check(content, rules ?? CardRules.Teams, at));
            else
                problems.Add(new SchemaProblem(at, "an Adaptive Card attachment without content", "teams"));
        }
        return new ValidationReport(problems);
    }

    private static List<SchemaProblem> Check(JsonElement card, CardRules rules, string at)
    {
        var (schema, document) = Loaded.Value;
        var results = SchemaErrorReader.Evaluate(schema, card);
        var problems = new SchemaErrorReader(document, card).Read(results).ToList();
        problems.AddRange(TeamsRules.Check(card, rules));
        return at == "$" ? problems : problems.Select(p => p with { Path = at + p.Path[1..] }).ToList();
    }

    private const string TargetWidthSchema = """
        { "enum": ["veryNarrow", "narrow", "standard", "wide", "atMost:veryNarrow", "atMost:narrow", "atMost:standard", "atMost:wide",
                   "atLeast:veryNarrow", "atLeast:narrow", "atLeast:standard", "atLeast:wide"] }
        """;

    private static (JsonSchema, JsonObject) Load()
    {
        var document = VendoredSchema.Load(SchemaFile);

        // Draft-06 names its id "$id"; the file uses the draft-04 keyword "id".
        if (document["id"] is JsonValue id)
        {
            document.Remove("id");
            document["$id"] = id.GetValue<string>();
        }

        var definitions = document["definitions"]!.AsObject();

        // Teams' extensions, which the schema (additionalProperties: false) does not know.
        Properties(definitions, "AdaptiveCard")["msteams"] = JsonNode.Parse("""
            {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "width": { "type": "string" },
                "entities": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["type", "text", "mentioned"],
                    "properties": {
                      "type": { "enum": ["mention"] },
                      "text": { "type": "string" },
                      "mentioned": { "type": "object", "required": ["id", "name"], "properties": { "id": { "type": "string" }, "name": { "type": "string" } } }
                    }
                  }
                }
              }
            }
            """);
        Properties(definitions, "Image")["msteams"] = JsonNode.Parse("""
            { "type": "object", "additionalProperties": false, "properties": { "allowExpand": { "type": "boolean" } } }
            """);

        // The schema says firstRowAsHeader; the renderers read firstRowAsHeaders (microsoft/AdaptiveCards#8599).
        Properties(definitions, "Table")["firstRowAsHeaders"] = JsonNode.Parse("""{ "type": "boolean" }""");

        // Teams' responsive layout (learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/cards-format,
        // "Adaptive Card responsive layout"): targetWidth on any element. Elements are the definitions with isVisible.
        foreach (var (_, definition) in definitions)
        {
            if (definition?["properties"] is JsonObject properties && properties.ContainsKey("isVisible"))
                properties["targetWidth"] = JsonNode.Parse(TargetWidthSchema);
        }

        // Enum-like definitions are anyOf [{enum}, {pattern}], the pattern a case-insensitive copy of
        // the enum. It applies to strings only, so any object passed as fallback "drop" (and element
        // or action fallbacks went unchecked); and "^(a)|(b)$" is unanchored in the middle.
        foreach (var (_, definition) in definitions)
        {
            if (definition?["anyOf"] is not JsonArray branches) continue;
            foreach (var branch in branches.OfType<JsonObject>())
            {
                if (branch.Count != 1 || branch["pattern"] is not JsonValue pattern) continue;
                branch["type"] = "string";
                branch["pattern"] = Anchor(pattern.GetValue<string>());
            }
        }

        return (VendoredSchema.Build(document, new Uri("http://adaptivecards.io/schemas/adaptive-card.json")), document);
    }

    private static JsonObject Properties(JsonObject definitions, string name) => definitions[name]!["properties"]!.AsObject();

    private static string Anchor(string pattern) =>
        pattern.StartsWith('^') && pattern.EndsWith('$') ? $"^(?:{pattern[1..^1]})$" : pattern;

    /// <summary>
    /// What Teams needs that the schema cannot say: the declared version, full width, the size
    /// limit, a non-empty altText on every Image, unique ids, and on every Action.Execute a verb plus
    /// an Action.Submit fallback that carries the same verb in its data (the refresh action needs only
    /// the verb).
    /// </summary>
    private static class TeamsRules
    {
        public static IEnumerable<SchemaProblem> Check(JsonElement card, CardRules rules)
        {
            if (card.ValueKind != JsonValueKind.Object) yield break;

            if (!card.TryGetProperty("version", out var version))
                yield return Problem("$", $"missing \"version\": the top-level card must declare \"{rules.Version}\"");
            else if (version.ValueKind != JsonValueKind.String || version.GetString() != rules.Version)
                yield return Problem("$.version", $"must be \"{rules.Version}\" (the highest Adaptive Cards version Teams renders), not {version.GetRawText()}");

            if (rules.RequireFullWidth)
            {
                var width = card.TryGetProperty("msteams", out var msteams) && msteams.ValueKind == JsonValueKind.Object && msteams.TryGetProperty("width", out var w) ? w : (JsonElement?)null;
                if (width is not { ValueKind: JsonValueKind.String } || width.Value.GetString() != "Full")
                    yield return Problem("$.msteams.width", $"must be \"Full\" so Teams gives the card the whole message width (found {(width is null ? "nothing" : width.Value.GetRawText())})");
            }

            var size = Encoding.UTF8.GetByteCount(card.GetRawText());
            if (size > rules.MaxBytes)
                yield return Problem("$", $"the card is {size:N0} bytes of JSON; keep it under {rules.MaxBytes:N0} ({rules.MaxBytes / 1024} KB)");

            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var problem in Walk(card, new StringBuilder("$"), ids))
                yield return problem;
        }

        private static IEnumerable<SchemaProblem> Walk(JsonElement node, StringBuilder path, Dictionary<string, string> ids)
        {
            if (node.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in node.EnumerateArray())
                {
                    var length = path.Length;
                    path.Append('[').Append(index++).Append(']');
                    foreach (var problem in Walk(item, path, ids)) yield return problem;
                    path.Length = length;
                }
                yield break;
            }
            if (node.ValueKind != JsonValueKind.Object) yield break;

            var here = path.ToString();
            var type = node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type is not null && node.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                // Input values come back keyed by id, and toggles find their targets by id.
                if (!ids.TryAdd(id.GetString()!, here))
                    yield return Problem(here + ".id", $"id \"{id.GetString()}\" is already used at {ids[id.GetString()!]}; ids must be unique in a card");
            }
            if (type == "Image")
            {
                if (!node.TryGetProperty("altText", out var alt) || alt.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(alt.GetString()))
                    yield return Problem(here + ".altText", "every Image needs a non-empty altText (screen readers read it; Teams shows it when the image fails to load)");
            }
            if (type == "Action.Execute")
            {
                foreach (var problem in CheckExecute(node, here)) yield return problem;
            }

            foreach (var property in node.EnumerateObject())
            {
                var length = path.Length;
                JsonPaths.AppendSegment(path, property.Name);
                foreach (var problem in Walk(property.Value, path, ids)) yield return problem;
                path.Length = length;
            }
        }

        private static IEnumerable<SchemaProblem> CheckExecute(JsonElement action, string here)
        {
            var verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (string.IsNullOrWhiteSpace(verb))
                yield return Problem(here + ".verb", "Action.Execute needs a verb: the bot routes card actions by verb");

            // A refresh action is invoked by Teams itself; clients without Universal Actions just skip it.
            if (here.EndsWith(".refresh.action", StringComparison.Ordinal)) yield break;

            if (!action.TryGetProperty("fallback", out var fallback) || fallback.ValueKind != JsonValueKind.Object
                || !fallback.TryGetProperty("type", out var fallbackType) || fallbackType.GetString() != "Action.Submit")
            {
                yield return Problem(here + ".fallback", "Action.Execute needs an Action.Submit fallback for Teams clients without Universal Actions (build it with CardActions.Execute)");
                yield break;
            }
            var data = fallback.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : (JsonElement?)null;
            var fallbackVerb = data is { } obj && obj.TryGetProperty(CardActions.VerbKey, out var fv) && fv.ValueKind == JsonValueKind.String ? fv.GetString() : null;
            if (verb is not null && fallbackVerb != verb)
                yield return Problem($"{here}.fallback.data.{CardActions.VerbKey}", $"the Action.Submit fallback must carry data.{CardActions.VerbKey} = \"{verb}\" so a submit reaches the same handler (found {(fallbackVerb is null ? "nothing" : $"\"{fallbackVerb}\"")})");
        }

        private static SchemaProblem Problem(string path, string message) => new(path, message, "teams");
    }
}
