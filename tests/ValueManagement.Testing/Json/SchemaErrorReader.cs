using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ValueManagement.Testing.Json;

/// <summary>
/// Turns JsonSchema.Net's hierarchical output into a short list of problems a person can act on.
/// The hard part is <c>anyOf</c>. When an Adaptive Card element fails, the raw output holds one
/// failed branch for every element type the schema knows (about 16 branches, each with its own
/// "type must be ..." and "unknown property ..." errors). This reader:
/// <list type="bullet">
/// <item>for an object with a <c>type</c>, keeps the branch whose <c>type</c> enum accepts it and
/// reports only that branch's errors, or says "unknown type" and lists the types allowed there;</item>
/// <item>keeps the errors that every branch shares (a missing <c>type</c>);</item>
/// <item>drops the branches that expect another kind of JSON value (string or null, say);</item>
/// <item>merges <c>enum</c> and case-insensitive <c>pattern</c> alternatives into one
/// "invalid value; allowed: ..." message;</item>
/// <item>otherwise keeps the branch that matched deepest into the value.</item>
/// </list>
/// </summary>
internal sealed class SchemaErrorReader(JsonNode schema, JsonElement instance)
{
    private enum Kind { Enum, Type, Pattern, Required, UnknownProperty, UnknownType, Other }

    private sealed record Issue(string Pointer, Kind Kind, string Message, IReadOnlyList<string> Allowed, IReadOnlyList<string> Types)
    {
        public static Issue Of(string pointer, Kind kind, string message) => new(pointer, kind, message, [], []);
    }

    /// <summary>
    /// Evaluates quickly when the document is valid (flag output stops early), and again with the
    /// full hierarchical output, which this reader needs, only when it is not.
    /// </summary>
    public static EvaluationResults Evaluate(JsonSchema schema, JsonElement document)
    {
        var flag = schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.Flag });
        return flag.IsValid ? flag : schema.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
    }

    public IReadOnlyList<SchemaProblem> Read(EvaluationResults results)
    {
        if (results.IsValid) return [];
        var problems = Explain(results).Select(i => new SchemaProblem(JsonPaths.ToPath(i.Pointer), i.Message, "schema")).Distinct().ToList();
        // Never let an invalid document pass because no branch could be explained.
        return problems.Count > 0 ? problems : [new SchemaProblem("$", "does not match the schema (JsonSchema.Net gave no details)", "schema")];
    }

    private List<Issue> Explain(EvaluationResults node)
    {
        var issues = new List<Issue>();
        if (node.IsValid) return issues;

        var pointer = node.InstanceLocation.ToString();
        foreach (var (keyword, message) in node.Errors ?? [])
            issues.AddRange(Translate(node, pointer, keyword, message));

        var children = node.Details ?? [];
        var unionsDone = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            var union = UnionOf(child);
            if (union is null)
            {
                issues.AddRange(Explain(child));
                continue;
            }
            if (!unionsDone.Add(union)) continue;

            var branches = children.Where(c => UnionOf(c) == union).ToList();
            var validCount = branches.Count(b => b.IsValid);
            var isOneOf = union.EndsWith("/oneOf", StringComparison.Ordinal);
            if (validCount == 1 || (validCount > 1 && !isOneOf)) continue;
            if (validCount > 1)
                issues.Add(Issue.Of(branches[0].InstanceLocation.ToString(), Kind.Other, $"matches {validCount} alternatives of a oneOf; it must match exactly one"));
            else
                issues.AddRange(ExplainUnion(branches, branches[0].InstanceLocation.ToString()));
        }
        return issues;
    }

    /// <summary>The evaluation path of the anyOf/oneOf this child is a branch of, or null.</summary>
    private static string? UnionOf(EvaluationResults child)
    {
        var path = child.EvaluationPath.ToString();
        var segments = JsonPaths.Segments(path);
        return segments.Count >= 2 && segments[^2] is "anyOf" or "oneOf" && int.TryParse(segments[^1], out _)
            ? path[..path.LastIndexOf('/')]
            : null;
    }

    private List<Issue> ExplainUnion(List<EvaluationResults> branches, string pointer)
    {
        var value = JsonPaths.Find(instance, pointer);
        var explained = branches.Select(Explain).ToList();

        // Element and action unions: the branch whose "type" enum accepts the value's type.
        if (value is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String)
        {
            var typePointer = JsonPaths.Append(pointer, "type");
            bool RejectsType(List<Issue> issues) => issues.Any(i => i.Pointer == typePointer && i.Kind == Kind.Enum);
            var matching = explained.Where(e => !RejectsType(e)).ToList();
            if (matching.Count == 0)
            {
                var types = explained.SelectMany(e => e).Where(i => i.Pointer == typePointer && i.Kind == Kind.Enum).SelectMany(i => i.Allowed).Distinct().ToList();
                return [new Issue(pointer, Kind.UnknownType, $"unknown type \"{type.GetString()}\"; allowed here: {string.Join(", ", types)}", types, [])];
            }
            if (matching.Count < explained.Count) return Best(matching);
        }

        // What every branch complains about (a missing "type", say) is the problem.
        var common = explained.Skip(1).Aggregate(
            (IEnumerable<Issue>)explained[0],
            (shared, next) => shared.Where(i => next.Any(n => n.Pointer == i.Pointer && n.Message == i.Message))).ToList();
        if (common.Count > 0) return common;

        // Drop the branches that want another kind of value ({"type": "null"} beside an enum).
        bool WrongShape(List<Issue> issues) => issues.Any(i => i.Pointer == pointer && i.Kind == Kind.Type);
        var candidates = explained.Where(e => !WrongShape(e)).ToList();
        if (candidates.Count == 0)
        {
            var expected = explained.SelectMany(e => e).Where(i => i.Pointer == pointer && i.Kind == Kind.Type).SelectMany(i => i.Types).Distinct().ToList();
            return [new Issue(pointer, Kind.Type, $"{JsonPaths.Show(value)} is {JsonPaths.KindOf(value)}; expected {JoinOr(expected)}", [], expected)];
        }

        // enum + case-insensitive pattern: one message with the allowed values.
        if (candidates.All(e => e.All(i => i.Pointer == pointer && i.Kind is Kind.Enum or Kind.Pattern)))
        {
            var allowed = candidates.SelectMany(e => e).SelectMany(i => i.Allowed).Distinct().ToList();
            if (allowed.Count > 0)
                return [new Issue(pointer, Kind.Enum, $"invalid value {JsonPaths.Show(value)}; allowed: {string.Join(", ", allowed)}", allowed, [])];
        }
        return Best(candidates);
    }

    /// <summary>The branch that got deepest into the value, then the one with the fewest problems.</summary>
    private static List<Issue> Best(List<List<Issue>> branches) =>
        branches
            .OrderByDescending(b => b.Count == 0 ? 0 : b.Max(i => JsonPaths.Segments(i.Pointer).Count))
            .ThenBy(b => b.Count)
            .First();

    private IEnumerable<Issue> Translate(EvaluationResults node, string pointer, string keyword, string message)
    {
        var value = JsonPaths.Find(instance, pointer);
        var rule = SchemaAt(node.EvaluationPath.ToString());
        switch (keyword)
        {
            case "":
            {
                // A false schema: with additionalProperties, a property the definition does not know.
                if (!node.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal) || pointer.Length == 0)
                {
                    yield return Issue.Of(pointer, Kind.Other, "not allowed here");
                    yield break;
                }
                var name = JsonPaths.Segments(pointer)[^1];
                var owner = JsonPaths.Find(instance, pointer[..pointer.LastIndexOf('/')]);
                var ownerType = owner is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                    ? $" on {t.GetString()}"
                    : "";
                yield return Issue.Of(pointer, Kind.UnknownProperty, $"unknown property \"{name}\"{ownerType}");
                break;
            }
            case "required":
            {
                var required = (rule?["required"] as JsonArray)?.Select(n => n?.GetValue<string>()).OfType<string>() ?? [];
                var missing = value is { ValueKind: JsonValueKind.Object } obj ? required.Where(r => !obj.TryGetProperty(r, out _)).ToList() : [];
                if (missing.Count == 0) yield return Issue.Of(pointer, Kind.Required, message);
                foreach (var property in missing)
                    yield return Issue.Of(pointer, Kind.Required, $"missing required property \"{property}\"");
                break;
            }
            case "enum":
            {
                var allowed = (rule?["enum"] as JsonArray)?.Select(Display).ToList() ?? [];
                yield return new Issue(pointer, Kind.Enum, $"invalid value {JsonPaths.Show(value)}; allowed: {string.Join(", ", allowed)}", allowed, []);
                break;
            }
            case "const":
            {
                var expected = rule?["const"] is { } c ? c.ToJsonString() : "(unknown)";
                yield return new Issue(pointer, Kind.Enum, $"must be {expected}, not {JsonPaths.Show(value)}", [expected], []);
                break;
            }
            case "type":
            {
                List<string> types = rule?["type"] switch
                {
                    JsonValue single => [single.GetValue<string>()],
                    JsonArray many => many.Select(n => n!.GetValue<string>()).ToList(),
                    _ => [],
                };
                yield return new Issue(pointer, Kind.Type, $"{JsonPaths.Show(value)} is {JsonPaths.KindOf(value)}; expected {JoinOr(types)}", [], types);
                break;
            }
            case "pattern":
                yield return Issue.Of(pointer, Kind.Pattern, $"{JsonPaths.Show(value)} does not match the pattern {rule?["pattern"]?.GetValue<string>()}");
                break;
            case "maxLength" or "minLength" when value is { ValueKind: JsonValueKind.String } text:
                yield return Issue.Of(pointer, Kind.Other, $"is {text.GetString()!.EnumerateRunes().Count()} characters long; {(keyword == "maxLength" ? "at most" : "at least")} {rule?[keyword]} allowed");
                break;
            case "maxItems" or "minItems" when value is { ValueKind: JsonValueKind.Array } array:
                yield return Issue.Of(pointer, Kind.Other, $"has {array.GetArrayLength()} items; {(keyword == "maxItems" ? "at most" : "at least")} {rule?[keyword]} allowed");
                break;
            default:
                yield return Issue.Of(pointer, Kind.Other, $"{message} ({keyword})");
                break;
        }
    }

    /// <summary>
    /// The subschema an evaluation path leads to, following local <c>$ref</c>s. (JsonSchema.Net 8.0.5
    /// garbles <c>SchemaLocation</c> below <c>items</c> and <c>additionalProperties</c>, e.g.
    /// <c>#/properties/bots/items/bots/...</c>, so the evaluation path is the reliable guide.)
    /// </summary>
    private JsonNode? SchemaAt(string evaluationPath)
    {
        var current = schema;
        foreach (var segment in JsonPaths.Segments(evaluationPath))
        {
            if (segment == "$ref")
            {
                var reference = (current as JsonObject)?["$ref"]?.GetValue<string>();
                if (reference is null || !reference.StartsWith('#')) return null;
                current = JsonPaths.Find(schema, Uri.UnescapeDataString(reference));
            }
            else
            {
                current = current switch
                {
                    JsonObject obj => obj[segment],
                    JsonArray array when int.TryParse(segment, out var index) && index >= 0 && index < array.Count => array[index],
                    _ => null,
                };
            }
            if (current is null) return null;
        }
        return current;
    }

    private static string Display(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";

    private static string JoinOr(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "another kind of value",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " or " + items[^1],
    };
}
