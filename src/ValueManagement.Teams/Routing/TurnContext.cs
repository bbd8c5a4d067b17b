using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Routing;

/// <summary>Who sent the activity. Identity is the Entra object id, never the display name.</summary>
public sealed record Caller(string? AadObjectId, string Name, string? UserId, string? TenantId);

/// <summary>One validated inbound activity and the means to answer it inside the turn.</summary>
public sealed class TurnContext(Activity activity, ConnectorClient connector, IServiceProvider services)
{
    public Activity Activity { get; } = activity;
    public ConnectorClient Connector { get; } = connector;
    public IServiceProvider Services { get; } = services;

    public Caller Caller { get; } = new(
        activity.From?.AadObjectId,
        string.IsNullOrWhiteSpace(activity.From?.Name) ? "someone" : activity.From!.Name!,
        activity.From?.Id,
        activity.TenantId);

    public ConversationTarget Conversation { get; } = new(activity.ServiceUrl ?? string.Empty, activity.Conversation?.Id ?? string.Empty);

    public string ConversationType => Activity.Conversation?.ConversationType ?? ConversationTypes.Personal;

    public bool IsChannel => ConversationType == ConversationTypes.Channel;
    public bool IsPersonal => ConversationType == ConversationTypes.Personal;

    /// <summary>The Bot API id of the team (the General channel's id) in team contexts.</summary>
    public string? TeamThreadId => Activity.ChannelData?.Team?.Id;

    /// <summary>The channel's id without any thread suffix (<c>;messageid=</c>).</summary>
    public string? ChannelThreadId => Activity.ChannelData?.Channel?.Id
        ?? (IsChannel ? Activity.Conversation?.Id?.Split(';')[0] : null);

    /// <summary>Replies in the conversation (in a channel, in the same thread).</summary>
    public Task<ResourceResponse> ReplyAsync(Activity reply, CancellationToken cancellationToken) =>
        string.IsNullOrEmpty(Activity.Id)
            ? Connector.SendAsync(Conversation, reply, cancellationToken)
            : Connector.ReplyAsync(Conversation, Activity.Id, reply, cancellationToken);

    public Task<ResourceResponse> ReplyAsync(string markdown, CancellationToken cancellationToken) =>
        ReplyAsync(Activity.Message(markdown), cancellationToken);

    /// <summary>Replaces a message the bot posted earlier in this conversation.</summary>
    public Task<ResourceResponse> UpdateAsync(string activityId, Activity replacement, CancellationToken cancellationToken) =>
        Connector.UpdateAsync(Conversation, activityId, replacement, cancellationToken);
}
