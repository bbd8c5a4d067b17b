using Microsoft.Extensions.Logging;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Help;

/// <summary>Posts the welcome card when the bot is installed, and answers its "Show commands" button.</summary>
public sealed partial class WelcomeHandler(IServiceProvider services, ILogger<WelcomeHandler> logger) : IConversationEventHandler, ICardActionHandler
{
    public string Verb => WelcomeActions.ShowHelpVerb;

    public async Task OnConversationEventAsync(TurnContext turn, ConversationEventKind kind, CancellationToken cancellationToken)
    {
        if (kind != ConversationEventKind.BotAdded) return;
        var card = WelcomeCard.Build(inTeam: turn.TeamThreadId is not null || turn.IsChannel);
        try
        {
            await turn.SendAsync(Activity.Card(card.ToAttachmentContent(), "Hello from the value management bot"), cancellationToken);
        }
        catch (ConnectorException e)
        {
            LogWelcomeFailed(logger, e, turn.Conversation.ConversationId);
        }
    }

    public Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        var table = (CommandTable)services.GetService(typeof(CommandTable))!;
        var card = HelpCard.Build(table.Commands.Select(c => c.Info), inChannel: request.Turn.IsChannel);
        return Task.FromResult(CardActionResult.Replace(card));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not post the welcome card to {ConversationId}")]
    private static partial void LogWelcomeFailed(ILogger logger, Exception exception, string conversationId);
}
