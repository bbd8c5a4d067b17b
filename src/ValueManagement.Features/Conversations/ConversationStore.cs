using LiteDB;
using Microsoft.Extensions.Logging;
using ValueManagement.Features.Storage;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Conversations;

/// <summary>
/// Keeps conversation references: stored on install, refreshed when Teams moves the service URL,
/// deactivated on uninstall or when the Connector says the conversation is gone.
/// </summary>
public sealed partial class ConversationStore(IDocumentDatabase database, TimeProvider time, ILogger<ConversationStore> logger)
    : IConversationEventHandler, ITurnObserver, IConnectorFailureObserver
{
    public static readonly DocumentCollection<ConversationRecord> Stored = new(Collections.Conversations, r => r.Id, nameof(ConversationRecord.Active));

    private IDocumentCollection<ConversationRecord> Records => database.Collection(Stored);

    public ConversationRecord? Find(string conversationId) => Records.Find(BaseId(conversationId));

    public IReadOnlyList<ConversationRecord> All(bool activeOnly = true) =>
        activeOnly ? Records.Where(r => r.Active, true) : Records.All();

    public Task OnConversationEventAsync(TurnContext turn, ConversationEventKind kind, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ConversationEventKind.BotAdded:
                Save(turn.Activity, active: true);
                LogInstalled(logger, turn.ConversationType, BaseId(turn.Conversation.ConversationId));
                break;
            case ConversationEventKind.BotRemoved:
                Deactivate(turn.Conversation.ConversationId, "the bot was removed");
                break;
        }
        return Task.CompletedTask;
    }

    /// <summary>Refreshes a known conversation's service URL (Teams may move it), and learns conversations the bot was already in.</summary>
    public Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        if (turn.Activity.Type is not (ActivityTypes.Message or ActivityTypes.Invoke)) return Task.CompletedTask;
        var existing = Find(turn.Conversation.ConversationId);
        if (existing is null || existing.ServiceUrl != turn.Activity.ServiceUrl || !existing.Active)
            Save(turn.Activity, active: true);
        return Task.CompletedTask;
    }

    public Task OnConversationUnreachableAsync(ConversationTarget target, string reason, CancellationToken cancellationToken)
    {
        Deactivate(target.ConversationId, reason);
        return Task.CompletedTask;
    }

    public void Deactivate(string conversationId, string reason)
    {
        var existing = Find(conversationId);
        if (existing is null || !existing.Active) return;
        Records.Upsert(existing with { Active = false, InactiveReason = reason, UpdatedAt = time.GetUtcNow() });
        LogDeactivated(logger, existing.Id, reason);
    }

    private void Save(Activity activity, bool active)
    {
        var id = BaseId(activity.Conversation?.Id ?? string.Empty);
        if (id.Length == 0 || string.IsNullOrEmpty(activity.ServiceUrl)) return;
        var now = time.GetUtcNow();
        var existing = Records.Find(id);
        var type = activity.Conversation?.ConversationType ?? ConversationTypes.Personal;
        var team = activity.ChannelData?.Team;
        var record = new ConversationRecord
        {
            Id = id,
            ServiceUrl = activity.ServiceUrl,
            ConversationType = type,
            TenantId = activity.TenantId ?? existing?.TenantId,
            Name = activity.ChannelData?.Channel?.Name ?? activity.Conversation?.Name ?? existing?.Name,
            BotId = activity.Recipient?.Id ?? existing?.BotId,
            TeamThreadId = team?.Id ?? existing?.TeamThreadId,
            TeamAadGroupId = team?.AadGroupId ?? existing?.TeamAadGroupId,
            TeamName = team?.Name ?? existing?.TeamName,
            UserId = type == ConversationTypes.Personal ? activity.From?.Id ?? existing?.UserId : null,
            UserAadObjectId = type == ConversationTypes.Personal ? activity.From?.AadObjectId ?? existing?.UserAadObjectId : null,
            Active = active,
            InstalledAt = existing?.InstalledAt ?? now,
            UpdatedAt = now,
        };
        Records.Upsert(record);
    }

    /// <summary>A channel message's conversation id carries the thread (<c>;messageid=</c>); the reference is for the channel.</summary>
    public static string BaseId(string conversationId) => conversationId.Split(';')[0];

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot installed in {ConversationType} conversation {ConversationId}")]
    private static partial void LogInstalled(ILogger logger, string conversationType, string conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} marked inactive: {Reason}")]
    private static partial void LogDeactivated(ILogger logger, string conversationId, string reason);
}
