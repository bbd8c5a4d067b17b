using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ValueManagement.Features.TeamSetup;

/// <summary>
/// A JSON value read by <see cref="PositionedJson"/>, with where it starts in the file and its path
/// (<c>teams[2].service</c>), so every problem can name its line.
/// </summary>
internal abstract class JsonNodeAt(SourcePosition position, string path)
{
    public SourcePosition Position { get; } = position;

    /// <summary>The JSON path without the leading <c>$.</c>; empty for the whole document.</summary>
    public string Path { get; } = path;

    /// <summary>What the value is, in words, for "must be a list, not a number".</summary>
    public abstract string Kind { get; }
}

internal sealed class JsonObjectAt(SourcePosition position, string path, IReadOnlyList<JsonPropertyAt> properties) : JsonNodeAt(position, path)
{
    public IReadOnlyList<JsonPropertyAt> Properties { get; } = properties;
    public override string Kind => "an object";

    /// <summary>The first property of that name (exactly as written; duplicates are reported by the reader).</summary>
    public JsonPropertyAt? Property(string name) => Properties.FirstOrDefault(p => p.Name == name);
}

internal sealed record JsonPropertyAt(string Name, SourcePosition NamePosition, JsonNodeAt Value);

internal sealed class JsonArrayAt(SourcePosition position, string path, IReadOnlyList<JsonNodeAt> items) : JsonNodeAt(position, path)
{
    public IReadOnlyList<JsonNodeAt> Items { get; } = items;
    public override string Kind => "a list";
}

internal sealed class JsonStringAt(SourcePosition position, string path, string value) : JsonNodeAt(position, path)
{
    public string Value { get; } = value;
    public override string Kind => "a string";
}

internal sealed class JsonNumberAt(SourcePosition position, string path, double value, string text) : JsonNodeAt(position, path)
{
    public double Value { get; } = value;

    /// <summary>The number as written in the file.</summary>
    public string Text { get; } = text;
    public override string Kind => "a number";
}

internal sealed class JsonBooleanAt(SourcePosition position, string path, bool value) : JsonNodeAt(position, path)
{
    public bool Value { get; } = value;
    public override string Kind => Value ? "true" : "false";
}

internal sealed class JsonNullAt(SourcePosition position, string path) : JsonNodeAt(position, path)
{
    public override string Kind => "null";
}

/// <summary>A syntax error: where the reader stopped, and why.</summary>
internal sealed record JsonSyntaxError(SourcePosition Position, string Message);

/// <summary>
/// Reads a JSON document with <see cref="Utf8JsonReader"/> into a small tree that remembers where
/// each value is. Comments (<c>//</c> and <c>/* */</c>) and trailing commas are allowed, because
/// people write these files by hand.
/// </summary>
internal static class PositionedJson
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 32,
        // So that text after the top-level object gets our message rather than the reader's.
        AllowMultipleValues = true,
    };

    public static bool TryParse(
        ReadOnlySpan<byte> utf8,
        LineMap lines,
        [NotNullWhen(true)] out JsonNodeAt? root,
        [NotNullWhen(false)] out JsonSyntaxError? error)
    {
        root = null;
        error = null;
        var bom = utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || utf8.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            error = new JsonSyntaxError(new SourcePosition(1, 1), "the file is saved as UTF-16: save it as UTF-8");
            return false;
        }

        if (utf8[bom..].Trim(" \t\r\n"u8).IsEmpty)
        {
            error = new JsonSyntaxError(new SourcePosition(1, 1), "the file is empty");
            return false;
        }

        var reader = new Utf8JsonReader(utf8[bom..], Options);
        try
        {
            if (!reader.Read())
            {
                error = new JsonSyntaxError(new SourcePosition(1, 1), "the file is empty");
                return false;
            }
            root = ReadValue(ref reader, lines, bom, string.Empty);
            if (reader.Read())
            {
                error = new JsonSyntaxError(lines.Locate(bom + reader.TokenStartIndex), "there is more after the end of the top-level object");
                root = null;
                return false;
            }
            return true;
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0) + 1;
            var position = lines.Locate(line, e.BytePositionInLine ?? 0);
            error = new JsonSyntaxError(position, "the JSON is not valid: " + WithoutReaderPosition(e.Message));
            root = null;
            return false;
        }
        catch (InvalidOperationException e)
        {
            // A string that is not valid UTF-8 is found only when it is read as text.
            error = new JsonSyntaxError(lines.Locate(bom + reader.TokenStartIndex), "the text is not valid UTF-8: " + e.Message);
            root = null;
            return false;
        }
    }

    private static JsonNodeAt ReadValue(ref Utf8JsonReader reader, LineMap lines, int bom, string path)
    {
        var position = lines.Locate(bom + reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var properties = new List<JsonPropertyAt>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var namePosition = lines.Locate(bom + reader.TokenStartIndex);
                    var name = reader.GetString()!;
                    reader.Read();
                    var value = ReadValue(ref reader, lines, bom, Join(path, name));
                    properties.Add(new JsonPropertyAt(name, namePosition, value));
                }
                return new JsonObjectAt(position, path, properties);

            case JsonTokenType.StartArray:
                var items = new List<JsonNodeAt>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lines, bom, $"{path}[{items.Count}]"));
                return new JsonArrayAt(position, path, items);

            case JsonTokenType.String:
                return new JsonStringAt(position, path, reader.GetString()!);

            case JsonTokenType.Number:
                var text = Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan);
                return new JsonNumberAt(position, path, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture), text);

            case JsonTokenType.True:
            case JsonTokenType.False:
                return new JsonBooleanAt(position, path, reader.GetBoolean());

            default:
                return new JsonNullAt(position, path);
        }
    }

    private static string Join(string path, string name)
    {
        var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        var segment = simple ? name : $"['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";
        return path.Length == 0 ? segment : simple ? $"{path}.{segment}" : path + segment;
    }

    /// <summary>The reader appends "LineNumber: 3 | BytePositionInLine: 5." to its messages; ours give the position up front.</summary>
    private static string WithoutReaderPosition(string message)
    {
        var at = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = (at < 0 ? message : message[..at]).Trim();
        return text.Length > 0 && char.IsUpper(text[0]) && (text.Length == 1 || !char.IsUpper(text[1]))
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : text;
    }
}
