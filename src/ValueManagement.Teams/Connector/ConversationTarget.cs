namespace ValueManagement.Teams.Connector;

/// <summary>Where a message goes: the Connector base URL that Teams gave us and a conversation (channel, thread, chat).</summary>
public sealed record ConversationTarget(string ServiceUrl, string ConversationId)
{
    public override string ToString() => ConversationId;
}
