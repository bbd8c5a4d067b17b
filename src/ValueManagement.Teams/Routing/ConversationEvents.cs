namespace ValueManagement.Teams.Routing;

public enum ConversationEventKind
{
    /// <summary>The bot was installed in a team, a group chat or a personal chat.</summary>
    BotAdded,
    /// <summary>The bot was removed: stop sending there.</summary>
    BotRemoved,
    /// <summary>Any other conversation or installation update (members, channel renames).</summary>
    Updated,
}

/// <summary>Told about installation and conversation updates. Every registered handler runs, in registration order.</summary>
public interface IConversationEventHandler
{
    Task OnConversationEventAsync(TurnContext turn, ConversationEventKind kind, CancellationToken cancellationToken);
}

/// <summary>Sees every validated activity before it is routed (e.g. to refresh a stored service URL).</summary>
public interface ITurnObserver
{
    Task OnTurnAsync(TurnContext turn, CancellationToken cancellationToken);
}
