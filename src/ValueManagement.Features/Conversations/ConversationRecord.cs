using LiteDB;
using ValueManagement.Teams.Connector;

namespace ValueManagement.Features.Conversations;

/// <summary>
/// A stored conversation reference: everything needed to post into a channel or chat later
/// (proactively), captured from validated activities.
/// </summary>
public sealed record ConversationRecord
{
    /// <summary>The conversation id without a thread suffix: a channel id, a group chat id or a personal chat id.</summary>
    [BsonId]
    public required string Id { get; init; }
    public required string ServiceUrl { get; init; }
    public required string ConversationType { get; init; }
    public string? TenantId { get; init; }
    public string? Name { get; init; }

    /// <summary>The bot's own account id in this conversation (<c>28:{appId}</c>).</summary>
    public string? BotId { get; init; }

    public string? TeamThreadId { get; init; }
    public string? TeamAadGroupId { get; init; }
    public string? TeamName { get; init; }

    /// <summary>In a personal chat: the user's Teams id (<c>29:…</c>) and Entra object id.</summary>
    public string? UserId { get; init; }
    public string? UserAadObjectId { get; init; }

    public bool Active { get; init; } = true;
    public string? InactiveReason { get; init; }
    public DateTimeOffset InstalledAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public ConversationTarget Target => new(ServiceUrl, Id);
}
