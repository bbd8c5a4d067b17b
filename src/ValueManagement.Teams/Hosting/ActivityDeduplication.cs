using System.Collections.Concurrent;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Hosting;

public enum ClaimOutcome
{
    /// <summary>First sight of this activity: process it.</summary>
    Claimed,
    /// <summary>Already processed: answer with the stored result and do nothing else.</summary>
    AlreadyProcessed,
    /// <summary>Another request is processing it right now.</summary>
    InProgress,
}

public sealed record ActivityClaim(ClaimOutcome Outcome, AdaptiveCardInvokeResponse? EarlierResponse = null);

/// <summary>
/// Remembers activity ids so that a turn Teams re-sends (it retries a turn it thinks timed out) is
/// processed once. A claim left in progress by a process that died is taken over after
/// <see cref="StaleClaimAfter"/>, so a crash never swallows the retry of an unfinished turn.
/// </summary>
public interface IActivityDeduplicator
{
    Task<ActivityClaim> TryClaimAsync(string key, CancellationToken cancellationToken);
    Task CompleteAsync(string key, AdaptiveCardInvokeResponse? response, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets a claim whose turn failed before it could finish (the bot's token unavailable, the host
    /// stopping), so the retry Teams sends is processed rather than dropped as a duplicate.
    /// A claim already completed is kept.
    /// </summary>
    Task ReleaseAsync(string key, CancellationToken cancellationToken);

    public static readonly TimeSpan StaleClaimAfter = TimeSpan.FromMinutes(2);

    public static string KeyFor(Activity activity) =>
        $"{activity.ChannelId}|{activity.Conversation?.Id?.Split(';')[0]}|{activity.Id}";
}

/// <summary>A process-local deduplicator, for hosts without storage (and unit tests).</summary>
public sealed class InMemoryActivityDeduplicator(TimeProvider time) : IActivityDeduplicator
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new();

    private sealed record Entry(DateTimeOffset ClaimedAt, bool Done, AdaptiveCardInvokeResponse? Response);

    public Task<ActivityClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            if (_entries.TryAdd(key, new Entry(now, false, null)))
                return Task.FromResult(new ActivityClaim(ClaimOutcome.Claimed));
            if (!_entries.TryGetValue(key, out var existing)) continue;
            if (existing.Done)
                return Task.FromResult(new ActivityClaim(ClaimOutcome.AlreadyProcessed, existing.Response));
            if (now - existing.ClaimedAt < IActivityDeduplicator.StaleClaimAfter)
                return Task.FromResult(new ActivityClaim(ClaimOutcome.InProgress));
            if (_entries.TryUpdate(key, new Entry(now, false, null), existing))
                return Task.FromResult(new ActivityClaim(ClaimOutcome.Claimed));
        }
    }

    public Task CompleteAsync(string key, AdaptiveCardInvokeResponse? response, CancellationToken cancellationToken)
    {
        _entries[key] = new Entry(time.GetUtcNow(), true, response);
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(key, out var existing) && !existing.Done)
            _entries.TryRemove(new KeyValuePair<string, Entry>(key, existing));
        return Task.CompletedTask;
    }
}
