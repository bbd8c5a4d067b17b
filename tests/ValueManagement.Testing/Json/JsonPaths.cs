using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueManagement.Testing.Json;

/// <summary>JSON Pointers (what JsonSchema.Net reports) to readable JSONPaths, and lookups by pointer.</summary>
internal static class JsonPaths
{
    public static IReadOnlyList<string> Segments(string pointer)
    {
        if (string.IsNullOrEmpty(pointer) || pointer == "#") return [];
        var trimmed = pointer.StartsWith('#') ? pointer[1..] : pointer;
        return trimmed.Split('/').Skip(1).Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToList();
    }

    public static string Append(string pointer, string segment) => pointer + "/" + segment.Replace("~", "~0").Replace("/", "~1");

    /// <summary><c>/body/0/altText</c> becomes <c>$.body[0].altText</c>.</summary>
    public static string ToPath(string pointer)
    {
        var path = new StringBuilder("$");
        foreach (var segment in Segments(pointer)) AppendSegment(path, segment);
        return path.ToString();
    }

    public static void AppendSegment(StringBuilder path, string segment)
    {
        if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
            path.Append('[').Append(segment).Append(']');
        else if (segment.Length > 0 && (char.IsAsciiLetter(segment[0]) || segment[0] is '_' or '$') && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$'))
            path.Append('.').Append(segment);
        else
            path.Append('[').Append(JsonSerializer.Serialize(segment)).Append(']');
    }

    public static JsonElement? Find(JsonElement root, string pointer)
    {
        var current = root;
        foreach (var segment in Segments(pointer))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
                current = child;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < current.GetArrayLength())
                current = current[index];
            else
                return null;
        }
        return current;
    }

    public static JsonNode? Find(JsonNode root, string pointer)
    {
        JsonNode? current = root;
        foreach (var segment in Segments(pointer))
        {
            current = current switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var index) && index >= 0 && index < array.Count => array[index],
                _ => null,
            };
            if (current is null) return null;
        }
        return current;
    }

    /// <summary>The value as JSON, cut short for messages.</summary>
    public static string Show(JsonElement? value)
    {
        if (value is not { } element) return "(nothing)";
        var text = element.GetRawText();
        return text.Length > 60 ? text[..57] + "..." : text;
    }

    public static string KindOf(JsonElement? value) => value?.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "missing",
    };
}
