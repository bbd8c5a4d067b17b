using System.Text.Json;
using Microsoft.Extensions.Logging;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Routing;

/// <summary>
/// Routes a validated activity: messages to the command table (or, with a card's <c>value</c>, to the
/// card-action table), <c>adaptiveCard/action</c> invokes to the card-action table, installation and
/// conversation updates to the event handlers, and anything else nowhere.
/// </summary>
public sealed partial class ActivityDispatcher(
    CommandTable commands,
    CardActionTable cardActions,
    IEnumerable<IConversationEventHandler> conversationEvents,
    IEnumerable<ITurnObserver> turnObservers,
    IFallbackCommand fallback,
    ILogger<ActivityDispatcher> logger)
{
    public const string AdaptiveCardActionInvoke = "adaptiveCard/action";
    public const string OutOfDateMessage = "This card is out of date. Ask me again for a fresh one: type **help** to see how.";
    public const string SomethingWentWrong = "Sorry, something went wrong on my side. Nothing you sent was lost; please try again in a minute.";

    /// <summary>What the user hears when the data file cannot be written (disk full, file read-only).</summary>
    public const string StorageUnavailable = "Sorry, I can't save anything right now: my storage is full or read-only (my log says so for the people who run me). Nothing was saved: please send it again later. A form you filled in still has what you typed.";

    /// <summary>Handles the turn; returns the body for an invoke, or null for every other activity.</summary>
    public async Task<AdaptiveCardInvokeResponse?> DispatchAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        foreach (var observer in turnObservers)
            await observer.OnTurnAsync(turn, cancellationToken).ConfigureAwait(false);

        var activity = turn.Activity;
        switch (activity.Type)
        {
            case ActivityTypes.Message:
                await OnMessageAsync(turn, cancellationToken).ConfigureAwait(false);
                return null;
            case ActivityTypes.Invoke when activity.Name == AdaptiveCardActionInvoke:
                return await OnCardInvokeAsync(turn, cancellationToken).ConfigureAwait(false);
            case ActivityTypes.Invoke:
                LogIgnored(logger, $"invoke {activity.Name}", activity.Id);
                return new AdaptiveCardInvokeResponse
                {
                    StatusCode = 200,
                    Type = AdaptiveCardInvokeResponse.MessageType,
                    Value = JsonSerializer.SerializeToElement("This action is not supported.", TeamsJsonContext.Default.String),
                };
            case ActivityTypes.InstallationUpdate:
            case ActivityTypes.ConversationUpdate:
                await OnConversationEventAsync(turn, cancellationToken).ConfigureAwait(false);
                return null;
            default:
                LogIgnored(logger, activity.Type ?? "?", activity.Id);
                return null;
        }
    }

    private async Task OnMessageAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (activity.Value is { ValueKind: JsonValueKind.Object } submitted)
        {
            // An Action.Submit (the fallback of every Action.Execute) carries the verb in its data.
            var verb = submitted.TryGetProperty(CardActions.VerbKey, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var result = await RunCardActionAsync(turn, verb, submitted, isInvoke: false, cancellationToken).ConfigureAwait(false);
            await DeliverSubmitResultAsync(turn, result, cancellationToken).ConfigureAwait(false);
            return;
        }

        if ((activity.Text?.Length ?? 0) > MessageText.MaxRawTextLength)
        {
            LogTooLong(logger, activity.Text!.Length, activity.Id);
            await TryReplyAsync(turn, MessageText.TooLong, cancellationToken).ConfigureAwait(false);
            return;
        }

        var text = MessageText.WithoutBotMention(activity);
        if (text.Length > MessageText.MaxCommandLength)
        {
            LogTooLong(logger, text.Length, activity.Id);
            await TryReplyAsync(turn, MessageText.TooLong, cancellationToken).ConfigureAwait(false);
            return;
        }

        var match = commands.Match(text);
        try
        {
            if (match is { } found)
            {
                LogCommand(logger, found.Command.Info.Name, activity.Id, turn.Conversation.ConversationId);
                await found.Command.ExecuteAsync(new CommandRequest(turn, found.Word, found.Arguments), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await fallback.ExecuteAsync(new CommandRequest(turn, string.Empty, text), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ConnectorException e) when (e.Kind == ConnectorFailureKind.ConversationUnreachable)
        {
            // The conversation is gone (the reference is already marked inactive): nobody to tell.
            LogHandlerFailed(logger, e, match?.Command.Info.Name ?? "fallback", activity.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, e, match?.Command.Info.Name ?? "fallback", activity.Id);
            await TryReplyAsync(turn, e is IOException ? StorageUnavailable : SomethingWentWrong, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AdaptiveCardInvokeResponse> OnCardInvokeAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        string? verb = null;
        var data = default(JsonElement);
        if (turn.Activity.Value is { ValueKind: JsonValueKind.Object } value
            && value.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.Object)
        {
            if (action.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object) data = d;
            verb = action.TryGetProperty("verb", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            // A card without a verb on its Execute action still routes by the verb in its data.
            if (verb is null && data.ValueKind == JsonValueKind.Object && data.TryGetProperty(CardActions.VerbKey, out var dv) && dv.ValueKind == JsonValueKind.String)
                verb = dv.GetString();
        }

        if (data.ValueKind != JsonValueKind.Object)
            data = JsonSerializer.SerializeToElement(new Dictionary<string, string>(), TeamsJsonContext.Default.DictionaryStringString);

        var result = await RunCardActionAsync(turn, verb, data, isInvoke: true, cancellationToken).ConfigureAwait(false);
        return result switch
        {
            CardActionResult.ReplaceCard replace => new AdaptiveCardInvokeResponse
            {
                StatusCode = 200,
                Type = AdaptiveCardInvokeResponse.CardType,
                Value = CardJson.ToElement(replace.Card),
            },
            CardActionResult.Message message => MessageResponse(message.Text),
            _ => MessageResponse(OutOfDateMessage),
        };
    }

    private static AdaptiveCardInvokeResponse MessageResponse(string text) => new()
    {
        StatusCode = 200,
        Type = AdaptiveCardInvokeResponse.MessageType,
        Value = JsonSerializer.SerializeToElement(text, TeamsJsonContext.Default.String),
    };

    private async Task<CardActionResult> RunCardActionAsync(TurnContext turn, string? verb, JsonElement data, bool isInvoke, CancellationToken cancellationToken)
    {
        var handler = cardActions.Find(verb);
        if (handler is null)
        {
            LogUnknownVerb(logger, verb ?? "(none)", turn.Activity.Id);
            return CardActionResult.Say(OutOfDateMessage);
        }

        LogCardAction(logger, handler.Verb, turn.Activity.Id, turn.Conversation.ConversationId, isInvoke);
        try
        {
            return await handler.ExecuteAsync(new CardActionRequest(turn, handler.Verb, data, turn.Activity.ReplyToId, isInvoke), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, e, handler.Verb, turn.Activity.Id);
            return CardActionResult.Say(e is IOException ? StorageUnavailable : SomethingWentWrong);
        }
    }

    private async Task DeliverSubmitResultAsync(TurnContext turn, CardActionResult result, CancellationToken cancellationToken)
    {
        try
        {
            switch (result)
            {
                case CardActionResult.ReplaceCard replace when !string.IsNullOrEmpty(turn.Activity.ReplyToId):
                    await turn.UpdateAsync(turn.Activity.ReplyToId, Activity.Card(replace.Card.ToAttachmentContent()), cancellationToken).ConfigureAwait(false);
                    break;
                case CardActionResult.ReplaceCard replace:
                    await turn.ReplyAsync(Activity.Card(replace.Card.ToAttachmentContent()), cancellationToken).ConfigureAwait(false);
                    break;
                case CardActionResult.Message message:
                    await turn.ReplyAsync(message.Text, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (ConnectorException e)
        {
            LogHandlerFailed(logger, e, "submit-result", turn.Activity.Id);
        }
    }

    private async Task OnConversationEventAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var kind = Classify(turn.Activity);
        foreach (var handler in conversationEvents)
        {
            try
            {
                await handler.OnConversationEventAsync(turn, kind, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogHandlerFailed(logger, e, handler.GetType().Name, turn.Activity.Id);
            }
        }
    }

    public static ConversationEventKind Classify(Activity activity)
    {
        if (activity.Type == ActivityTypes.InstallationUpdate)
        {
            return activity.Action switch
            {
                "add" or "add-upgrade" => ConversationEventKind.BotAdded,
                "remove" or "remove-upgrade" => ConversationEventKind.BotRemoved,
                _ => ConversationEventKind.Updated,
            };
        }

        var botId = activity.Recipient?.Id;
        if (botId is not null && activity.MembersAdded?.Any(m => string.Equals(m.Id, botId, StringComparison.OrdinalIgnoreCase)) == true)
            return ConversationEventKind.BotAdded;
        if (botId is not null && activity.MembersRemoved?.Any(m => string.Equals(m.Id, botId, StringComparison.OrdinalIgnoreCase)) == true)
            return ConversationEventKind.BotRemoved;
        if (activity.ChannelData?.EventType is "teamDeleted" or "teamHardDeleted")
            return ConversationEventKind.BotRemoved;
        return ConversationEventKind.Updated;
    }

    private async Task TryReplyAsync(TurnContext turn, string text, CancellationToken cancellationToken)
    {
        try
        {
            await turn.ReplyAsync(text, cancellationToken).ConfigureAwait(false);
        }
        catch (ConnectorException e)
        {
            LogHandlerFailed(logger, e, "error-reply", turn.Activity.Id);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored {Kind} activity {ActivityId}")]
    private static partial void LogIgnored(ILogger logger, string kind, string? activityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Command {Command} in activity {ActivityId}, conversation {ConversationId}")]
    private static partial void LogCommand(ILogger logger, string command, string? activityId, string conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Card action {Verb} in activity {ActivityId}, conversation {ConversationId} (invoke: {IsInvoke})")]
    private static partial void LogCardAction(ILogger logger, string verb, string? activityId, string conversationId, bool isInvoke);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unknown or stale card verb {Verb} in activity {ActivityId}")]
    private static partial void LogUnknownVerb(ILogger logger, string verb, string? activityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Message of {Length} characters in activity {ActivityId} is too long for a command: answered without reading it")]
    private static partial void LogTooLong(ILogger logger, int length, string? activityId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler {Handler} failed for activity {ActivityId}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, string? activityId);
}

/// <summary>Answers text that is not a command (the help card, in practice).</summary>
public interface IFallbackCommand
{
    Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken);
}
