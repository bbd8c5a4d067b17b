using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValueManagement.Teams.Schema;

/// <summary>Serializer settings for everything that crosses the wire to or from Teams.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 64)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ConversationResourceResponse))]
[JsonSerializable(typeof(ConversationParameters))]
[JsonSerializable(typeof(TeamDetails))]
[JsonSerializable(typeof(ConversationList))]
[JsonSerializable(typeof(PagedMembersResult))]
[JsonSerializable(typeof(TeamsChannelAccount))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(AdaptiveCardInvokeResponse))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class TeamsJsonContext : JsonSerializerContext;

public static class TeamsJson
{
    public static JsonSerializerOptions Options => TeamsJsonContext.Default.Options;
}
