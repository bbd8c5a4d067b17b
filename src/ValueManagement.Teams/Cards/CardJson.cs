using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ValueManagement.Teams.Cards;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(AdaptiveCard))]
internal sealed partial class CardJsonContext : JsonSerializerContext;

/// <summary>Turns the card model into the exact JSON that goes on the wire.</summary>
public static class CardJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(CardJsonContext.Default.Options);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        return options;
    }

    public static JsonElement ToElement(AdaptiveCard card) => JsonSerializer.SerializeToElement(ToNode(card));

    public static string ToJson(AdaptiveCard card, bool indented = false) =>
        ToNode(card).ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    /// <summary>UTF-16 length as Teams counts message size (its limit is about 100 KB; our cards aim far lower).</summary>
    public static int SizeInBytes(AdaptiveCard card) => System.Text.Encoding.UTF8.GetByteCount(ToJson(card));

    private static JsonNode ToNode(AdaptiveCard card)
    {
        var node = JsonSerializer.SerializeToNode(card, Options)!;
        MirrorTableHeaderFlag(node);
        return node;
    }

    // The 1.5 schema names the flag firstRowAsHeader, but the renderers (JS, C++ and Teams) read
    // firstRowAsHeaders (microsoft/AdaptiveCards#8599), so a Table carries both spellings.
    private static void MirrorTableHeaderFlag(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["type"]?.GetValue<string>() == "Table" && obj["firstRowAsHeader"] is JsonValue flag)
                {
                    obj["firstRowAsHeaders"] = flag.GetValue<bool>();
                }
                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null) MirrorTableHeaderFlag(child);
                }
                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null) MirrorTableHeaderFlag(child);
                }
                break;
        }
    }
}
