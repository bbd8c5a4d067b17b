using Microsoft.Extensions.Logging;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Delivery;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Capture;

/// <summary>
/// Keeps every posted copy of a team's weekly prompt (channel and data leads' chats) in step with what
/// was stored: after a submission, the copies the user did not click become the same read-only summary.
/// The updates go through the sender's paced lanes in the background; the user's answer does not wait for them.
/// </summary>
public sealed partial class PromptCopies(DeliveryLedger ledger, ProactiveSender sender, ILogger<PromptCopies> logger)
{
    public const string PromptKind = "prompt";

    /// <summary>Queues an update of every sent copy of the prompt for (team, week) except the card with <paramref name="clickedActivityId"/>.</summary>
    public void ReplaceWith(string teamId, IsoWeek week, AdaptiveCard summary, string? clickedActivityId)
    {
        var copies = ledger.Team(teamId, PromptKind, week.ToString()).Entries
            .Where(e => clickedActivityId is null || !string.Equals(e.ActivityId, clickedActivityId, StringComparison.Ordinal))
            .ToList();
        if (copies.Count == 0) return;
        var replacement = Activity.Card(summary.ToAttachmentContent());
        foreach (var copy in copies)
            _ = UpdateOneAsync(copy.Key, replacement);
    }

    private async Task UpdateOneAsync(DeliveryKey key, Activity replacement)
    {
        try
        {
            var result = await sender.UpdateAsync(key, replacement, CancellationToken.None).ConfigureAwait(false);
            if (result.Outcome is UpdateOutcome.Failed or UpdateOutcome.Unreachable or UpdateOutcome.NotFound)
                LogUpdateFailed(logger, key.ToString(), result.Outcome.ToString(), result.Reason);
        }
        catch (Exception error) when (error is InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            LogUpdateFailed(logger, key.ToString(), "NotQueued", error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not update prompt copy {Key} to the submitted summary: {Outcome} ({Reason})")]
    private static partial void LogUpdateFailed(ILogger logger, string key, string outcome, string? reason);
}
