using ValueManagement.Teams.Hosting;
using ValueManagement.Teams.Schema;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace ValueManagement.Features.Storage;

/// <summary>
/// Activity claims kept in storage, so a turn Teams re-sends after a restart, or to another bot instance
/// on the same database, is still processed once.
/// </summary>
public sealed class StoredActivityDeduplicator(IDocumentDatabase database, TimeProvider time) : IActivityDeduplicator
{
    public static readonly DocumentCollection<ActivityClaimRecord> Stored = new(Collections.ActivityClaims, c => c.Id, nameof(ActivityClaimRecord.ClaimedAt));

    private readonly Lock _gate = new();

    private IDocumentCollection<ActivityClaimRecord> Claims => database.Collection(Stored);

    public Task<ActivityClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return Task.FromResult(database.InTransaction(() =>
            {
                database.LockKey("activity:" + key);
                var existing = Claims.Find(key);
                if (existing is not null)
                {
                    if (existing.Done)
                    {
                        var response = existing.Response is null ? null : JsonSerializer.Deserialize(existing.Response, TeamsJsonContext.Default.AdaptiveCardInvokeResponse);
                        return new ActivityClaim(ClaimOutcome.AlreadyProcessed, response);
                    }
                    if (now - existing.ClaimedAt < IActivityDeduplicator.StaleClaimAfter)
                        return new ActivityClaim(ClaimOutcome.InProgress);
                }
                Claims.Upsert(new ActivityClaimRecord { Id = key, ClaimedAt = now });
                return new ActivityClaim(ClaimOutcome.Claimed);
            }));
        }
    }

    public Task CompleteAsync(string key, AdaptiveCardInvokeResponse? response, CancellationToken cancellationToken)
    {
        var json = response is null ? null : JsonSerializer.Serialize(response, TeamsJsonContext.Default.AdaptiveCardInvokeResponse);
        lock (_gate)
        {
            Claims.Upsert(new ActivityClaimRecord { Id = key, ClaimedAt = time.GetUtcNow(), Done = true, Response = json });
        }
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            database.InTransaction(() =>
            {
                database.LockKey("activity:" + key);
                if (Claims.Find(key) is { Done: false })
                    Claims.Delete(key);
                return true;
            });
        }
        return Task.CompletedTask;
    }

    /// <summary>Forgets claims older than the window; run by the housekeeping job.</summary>
    public int Prune(TimeSpan window)
    {
        lock (_gate)
        {
            return Claims.DeleteBefore(c => c.ClaimedAt, time.GetUtcNow() - window);
        }
    }
}

/// <summary>A claimed activity and, once processed, the answer given to it (replayed to a re-sent invoke).</summary>
public sealed class ActivityClaimRecord
{
    public string Id { get; set; } = string.Empty;
    public DateTimeOffset ClaimedAt { get; set; }
    public bool Done { get; set; }
    public string? Response { get; set; }
}
