using Microsoft.Extensions.Options;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Scheduling;

/// <summary>
/// The weekly roll-up to managers: at <see cref="SchedulingOptions.RollupAt"/> each service and board
/// with a linked channel gets the roll-up card for the last completed week, once (the send ledger keys
/// it by scope, week and channel), caught up within the catch-up window after downtime.
/// </summary>
public sealed class RollupPoster(
    TeamDirectory directory,
    ConversationStore conversations,
    BoxScoreService boxScores,
    ProactiveSender sender,
    DeliveryLedger ledger,
    IOptions<SchedulingOptions> options,
    TimeProvider time)
{
    public const string Kind = "rollup";

    /// <summary>The week whose roll-up is due now and when it was due, or null outside the catch-up window after <see cref="SchedulingOptions.RollupAt"/>.</summary>
    public (IsoWeek Week, DateTimeOffset At)? DueWeek(DateTimeOffset nowUtc)
    {
        var settings = options.Value;
        var clock = TeamClock.FromTimeZoneId(settings.TimeZone);
        var at = WeeklyTime.Parse(settings.RollupAt);
        var last = at.NextOccurrence(clock, nowUtc.AddDays(-7));
        if (last > nowUtc || nowUtc - last > settings.CatchUpWindow) return null;
        return (clock.CurrentWeek(last).Previous(), last);
    }

    /// <summary>Sends what is due; null when nothing is (or no managers' channel is linked, or none was linked when it was due).</summary>
    public async Task<FanOutResult?> PostDueAsync(CancellationToken cancellationToken)
    {
        if (DueWeek(time.GetUtcNow()) is not { } due) return null;
        var (week, dueAt) = due;
        var items = new List<DeliveryItem>();
        var scopes = directory.AllServices().Select(s => new RollupScope(RoleScopeKind.Service, s.Id, s.Name))
            .Concat(directory.AllBoards().Select(b => new RollupScope(RoleScopeKind.Board, b.Id, b.Name)));
        foreach (var scope in scopes)
        {
            if (directory.ScopeChannelOf(scope.Kind, scope.Id) is not { } link || link.LinkedAt > dueAt
                || conversations.Find(link.ConversationId) is not { Active: true } channel)
                continue;
            var key = new DeliveryKey(Kind, $"{scope.Kind.ToString().ToLowerInvariant()}:{scope.Id}", week.ToString(), "channel:" + channel.Id);
            // Ticks every minute through the catch-up window: once sent, leave the ledger's fan-out record alone.
            if (ledger.Find(key)?.State == DeliveryState.Sent) continue;
            items.Add(new DeliveryItem(key, channel.Target, channel.TenantId,
                () => Activity.Card(RollupCard.Build(scope, boxScores.Rollup(scope, week)).ToAttachmentContent(), $"{scope.Name}: weekly roll-up for {week}")));
        }
        return items.Count == 0 ? null : await sender.FanOutAsync(new FanOut(Kind, week.ToString(), items), cancellationToken).ConfigureAwait(false);
    }
}
