using Microsoft.Extensions.Logging;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Delivery;

/// <summary>
/// Sends a turn's reply that could not go within the turn's time through the <see cref="ProactiveSender"/>:
/// recorded in the ledger under a key of its own (<c>reply|turn|week|conversation#activity#n</c>) before
/// the turn answers Teams, so it is sent once, and resumed after a restart.
/// </summary>
public sealed partial class TurnReplyQueue(ProactiveSender sender, TimeProvider time, ILogger<TurnReplyQueue> logger) : ITurnReplyQueue
{
    public const string Kind = "reply";

    public Task HandOverAsync(TurnContext turn, Activity reply, int sequence, ConnectorException failure, CancellationToken cancellationToken)
    {
        // The ledger groups entries by week only; the week of the hand-over (UTC) is as good as any.
        var week = DeliveryKey.WeekOf(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var key = new DeliveryKey(Kind, "turn", week, $"{turn.Conversation.ConversationId}#{turn.Activity.Id ?? "-"}#{sequence}");
        var item = new DeliveryItem(key, turn.Conversation, turn.Activity.TenantId, reply with { ReplyToId = turn.Activity.Id ?? reply.ReplyToId })
        {
            MayHaveArrivedBefore = failure.MayHaveArrived,
        };
        LogHandedOver(logger, key.ToString(), failure.Message);

        // FanOutAsync records the message before it first yields; its outcome is logged, not awaited.
        // No cancellation: when the sender stops it withdraws the message, which stays pending in the
        // ledger and is resumed at the next start.
        Task<FanOutResult> run;
        try
        {
            run = sender.FanOutAsync(new FanOut(Kind, week, [item]), CancellationToken.None);
        }
        catch (InvalidOperationException e)
        {
            // The sender has stopped (the host is shutting down): the turn fails, and Teams retries it.
            throw new ConnectorException(failure.StatusCode, failure.ErrorCode, failure.Message, failure.Kind, failure.RetryAfter, e);
        }
        _ = run.ContinueWith(done =>
        {
            if (done.IsCompletedSuccessfully && done.Result.Sent + done.Result.AlreadySent == 1)
                LogDelivered(logger, key.ToString());
            else if (!done.IsCanceled)
                LogNotDelivered(logger, key.ToString(), done.Exception?.GetBaseException().Message ?? done.Result.Failures.FirstOrDefault()?.Reason ?? "no outcome");
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply {Key} could not go within the turn ({Reason}); handed to the delivery queue")]
    private static partial void LogHandedOver(ILogger logger, string key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reply {Key} delivered through the delivery queue")]
    private static partial void LogDelivered(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reply {Key} not delivered yet ({Reason}); the ledger keeps it for the next resume")]
    private static partial void LogNotDelivered(ILogger logger, string key, string reason);
}
