using System.Text.Json;
using System.Text.Json.Serialization;

namespace ValueManagement.Teams.Schema;

/// <summary>
/// A Bot Framework activity as Teams sends and receives it. Only the fields the bot reads are typed;
/// everything else survives a round trip through <see cref="Extra"/>.
/// </summary>
public sealed record Activity
{
    public string? Type { get; init; }
    public string? Id { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? ServiceUrl { get; init; }
    public string? ChannelId { get; init; }
    public ChannelAccount? From { get; init; }
    public ChannelAccount? Recipient { get; init; }
    public ConversationAccount? Conversation { get; init; }
    public string? Text { get; init; }
    public string? TextFormat { get; init; }
    public string? Summary { get; init; }
    public string? Locale { get; init; }
    public string? ReplyToId { get; init; }
    public string? Name { get; init; }
    public string? Action { get; init; }
    public JsonElement? Value { get; init; }
    public IReadOnlyList<Attachment>? Attachments { get; init; }
    public IReadOnlyList<Entity>? Entities { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersAdded { get; init; }
    public IReadOnlyList<ChannelAccount>? MembersRemoved { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The tenant, from channel data first (always present in Teams), then the conversation.</summary>
    [JsonIgnore]
    public string? TenantId => ChannelData?.Tenant?.Id ?? Conversation?.TenantId;

    public static Activity Message(string text) => new() { Type = ActivityTypes.Message, Text = text, TextFormat = "markdown" };

    public static Activity Card(AdaptiveCardAttachmentContent card, string? summary = null) => new()
    {
        Type = ActivityTypes.Message,
        Summary = summary,
        Attachments = [Attachment.AdaptiveCard(card)],
    };
}

public static class ActivityTypes
{
    public const string Message = "message";
    public const string Invoke = "invoke";
    public const string ConversationUpdate = "conversationUpdate";
    public const string InstallationUpdate = "installationUpdate";
    public const string MessageReaction = "messageReaction";
    public const string Typing = "typing";
}

public sealed record ChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
    public string? Role { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed record ConversationAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? ConversationType { get; init; }
    public bool? IsGroup { get; init; }
    public string? TenantId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public static class ConversationTypes
{
    public const string Personal = "personal";
    public const string GroupChat = "groupChat";
    public const string Channel = "channel";
}

public sealed record Attachment
{
    public string? ContentType { get; init; }
    public JsonElement? Content { get; init; }
    public string? ContentUrl { get; init; }
    public string? Name { get; init; }

    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static Attachment AdaptiveCard(AdaptiveCardAttachmentContent card) => new()
    {
        ContentType = AdaptiveCardContentType,
        Content = card.Json,
    };
}

/// <summary>A rendered Adaptive Card, ready to attach. Built by the card model in <c>ValueManagement.Teams.Cards</c>.</summary>
public readonly record struct AdaptiveCardAttachmentContent(JsonElement Json);

public sealed record Entity
{
    public string? Type { get; init; }
    public ChannelAccount? Mentioned { get; init; }
    public string? Text { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    public static Entity Mention(ChannelAccount who, string text) => new() { Type = "mention", Mentioned = who, Text = text };
}

public sealed record TeamsChannelData
{
    public TenantInfo? Tenant { get; init; }
    public TeamInfo? Team { get; init; }
    public ChannelInfo? Channel { get; init; }
    public string? EventType { get; init; }
    public NotificationInfo? Notification { get; init; }
    public TeamsChannelDataSettings? Settings { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed record TenantInfo(string? Id);

public sealed record TeamInfo
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadGroupId { get; init; }
}

public sealed record ChannelInfo
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

public sealed record NotificationInfo(bool Alert);

public sealed record TeamsChannelDataSettings
{
    public ChannelInfo? SelectedChannel { get; init; }
}

/// <summary>The answer to POST /v3/conversations/{id}/activities and friends.</summary>
public sealed record ResourceResponse(string? Id);

public sealed record ConversationResourceResponse
{
    public string? Id { get; init; }
    public string? ActivityId { get; init; }
    public string? ServiceUrl { get; init; }
}

public sealed record ConversationParameters
{
    public bool IsGroup { get; init; }
    public ChannelAccount? Bot { get; init; }
    public IReadOnlyList<ChannelAccount>? Members { get; init; }
    public string? TopicName { get; init; }
    public string? TenantId { get; init; }
    public Activity? Activity { get; init; }
    public TeamsChannelData? ChannelData { get; init; }
}

public sealed record TeamDetails
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadGroupId { get; init; }
}

public sealed record ConversationList(IReadOnlyList<ChannelInfo>? Conversations);

public sealed record TeamsChannelAccount
{
    public string? Id { get; init; }
    public string? Name { get; init; }
    public string? AadObjectId { get; init; }
    public string? Email { get; init; }
    public string? UserPrincipalName { get; init; }
    public string? GivenName { get; init; }
    public string? Surname { get; init; }
    public string? TenantId { get; init; }
    public string? UserRole { get; init; }
}

public sealed record PagedMembersResult
{
    public IReadOnlyList<TeamsChannelAccount>? Members { get; init; }
    public string? ContinuationToken { get; init; }
}

/// <summary>The body the Bot Connector sends with an error status.</summary>
public sealed record ErrorResponse(ErrorDetail? Error);

public sealed record ErrorDetail(string? Code, string? Message);

/// <summary>
/// The body of an invoke answer, written directly as the HTTP response to Teams:
/// <c>{statusCode, type, value}</c>.
/// </summary>
public sealed record AdaptiveCardInvokeResponse
{
    public int StatusCode { get; init; } = 200;
    public required string Type { get; init; }
    public JsonElement? Value { get; init; }

    public const string CardType = "application/vnd.microsoft.card.adaptive";
    public const string MessageType = "application/vnd.microsoft.activity.message";
    public const string ErrorType = "application/vnd.microsoft.error";
}
