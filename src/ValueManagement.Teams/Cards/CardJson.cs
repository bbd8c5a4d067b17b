using System.Text.Json;
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
    // Built once: options carry the type metadata, which is costly to build for every card.
    private static readonly JsonSerializerOptions Compact = CreateOptions(indented: false);
    private static readonly JsonSerializerOptions Indented = CreateOptions(indented: true);

    private static JsonSerializerOptions CreateOptions(bool indented)
    {
        var options = new JsonSerializerOptions(CardJsonContext.Default.Options) { WriteIndented = indented };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly();
        return options;
    }

    public static JsonElement ToElement(AdaptiveCard card) => JsonSerializer.SerializeToElement(card, Compact);

    public static string ToJson(AdaptiveCard card, bool indented = false) =>
        JsonSerializer.Serialize(card, indented ? Indented : Compact);

    /// <summary>UTF-16 length as Teams counts message size (its limit is about 100 KB; our cards aim far lower).</summary>
    public static int SizeInBytes(AdaptiveCard card) => System.Text.Encoding.UTF8.GetByteCount(ToJson(card));
}
