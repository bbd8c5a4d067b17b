using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Routing;

/// <summary>Who sent the activity. Identity is the Entra object id, never the display name.</summary>
public sealed record Caller(string? AadObjectId, string Name, string? UserId, string? TenantId);

/// <summary>
/// Takes a reply the turn could not send within its time (the Connector throttled it for longer, hung
/// or failed, or the bot's token was unavailable) and delivers it later, once.
/// </summary>
public interface ITurnReplyQueue
{
    /// <param name="sequence">Which reply of the turn this is (1, 2...), so each is delivered once.</param>
    Task HandOverAsync(TurnContext turn, Activity reply, int sequence, ConnectorException failure, CancellationToken cancellationToken);
}

/// <summary>One validated inbound activity and the means to answer it inside the turn.</summary>
/// <param name="replyDeadline">
/// When the turn's replies must be done by (Teams waits about 15 s for the HTTP answer). A reply that
/// would pass it goes to the <see cref="ITurnReplyQueue"/> instead. Null: no limit (tools, tests).
/// </param>
public sealed class TurnContext(Activity activity, ConnectorClient connector, IServiceProvider services, DateTimeOffset? replyDeadline = null)
{
    private int _replies;

    public DateTimeOffset? ReplyDeadline { get; } = replyDeadline;

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

    /// <summary>
    /// Replies in the conversation (in a channel, in the same thread). A reply that cannot go within the
    /// turn's time but may later is handed to the delivery queue; the answer then has no id.
    /// </summary>
    public Task<ResourceResponse> ReplyAsync(Activity reply, CancellationToken cancellationToken) =>
        SendWithinTurnAsync(reply, threaded: !string.IsNullOrEmpty(Activity.Id), cancellationToken);

    /// <summary>Posts a new message to the conversation (not as a reply), within the turn's time like <see cref="ReplyAsync(Activity, CancellationToken)"/>.</summary>
    public Task<ResourceResponse> SendAsync(Activity message, CancellationToken cancellationToken) =>
        SendWithinTurnAsync(message, threaded: false, cancellationToken);

    private async Task<ResourceResponse> SendWithinTurnAsync(Activity reply, bool threaded, CancellationToken cancellationToken)
    {
        var sequence = Interlocked.Increment(ref _replies);
        try
        {
            return threaded
                ? await Connector.ReplyAsync(Conversation, Activity.Id!, reply, cancellationToken, ReplyDeadline).ConfigureAwait(false)
                : await Connector.SendAsync(Conversation, reply, cancellationToken, deadline: ReplyDeadline).ConfigureAwait(false);
        }
        catch (ConnectorException e) when (e.IsRetryable && ReplyDeadline is not null && Services.GetService(typeof(ITurnReplyQueue)) is ITurnReplyQueue queue)
        {
            await queue.HandOverAsync(this, reply, sequence, e, cancellationToken).ConfigureAwait(false);
            return new ResourceResponse(null);
        }
    }

    public Task<ResourceResponse> ReplyAsync(string markdown, CancellationToken cancellationToken) =>
        ReplyAsync(Activity.Message(markdown), cancellationToken);

    /// <summary>Replaces a message the bot posted earlier in this conversation.</summary>
    public Task<ResourceResponse> UpdateAsync(string activityId, Activity replacement, CancellationToken cancellationToken) =>
        Connector.UpdateAsync(Conversation, activityId, replacement, cancellationToken, deadline: ReplyDeadline);
}
