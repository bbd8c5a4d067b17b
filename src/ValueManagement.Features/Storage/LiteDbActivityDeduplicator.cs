using LiteDB;
using ValueManagement.Teams.Hosting;
using ValueManagement.Teams.Schema;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace ValueManagement.Features.Storage;

/// <summary>Activity claims kept in the data file, so a turn Teams re-sends after a restart is still processed once.</summary>
public sealed class LiteDbActivityDeduplicator(VmDatabase database, TimeProvider time) : IActivityDeduplicator
{
    private readonly Lock _gate = new();

    private sealed class ClaimRecord
    {
        [BsonId] public string Id { get; set; } = string.Empty;
        public DateTime ClaimedAt { get; set; }
        public bool Done { get; set; }
        public string? Response { get; set; }
    }

    private ILiteCollection<ClaimRecord> Claims => database.Collection<ClaimRecord>(Collections.ActivityClaims);

    public Task<ActivityClaim> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        lock (_gate)
        {
            var existing = Claims.FindById(key);
            if (existing is not null)
            {
                if (existing.Done)
                {
                    var response = existing.Response is null ? null : JsonSerializer.Deserialize(existing.Response, TeamsJsonContext.Default.AdaptiveCardInvokeResponse);
                    return Task.FromResult(new ActivityClaim(ClaimOutcome.AlreadyProcessed, response));
                }
                if (now - existing.ClaimedAt.ToUniversalTime() < IActivityDeduplicator.StaleClaimAfter)
                    return Task.FromResult(new ActivityClaim(ClaimOutcome.InProgress));
            }
            Claims.Upsert(new ClaimRecord { Id = key, ClaimedAt = now });
            return Task.FromResult(new ActivityClaim(ClaimOutcome.Claimed));
        }
    }

    public Task CompleteAsync(string key, AdaptiveCardInvokeResponse? response, CancellationToken cancellationToken)
    {
        var json = response is null ? null : JsonSerializer.Serialize(response, TeamsJsonContext.Default.AdaptiveCardInvokeResponse);
        lock (_gate)
        {
            Claims.Upsert(new ClaimRecord { Id = key, ClaimedAt = time.GetUtcNow().UtcDateTime, Done = true, Response = json });
        }
        return Task.CompletedTask;
    }

    /// <summary>Forgets claims older than the window; run by the housekeeping job.</summary>
    public int Prune(TimeSpan window)
    {
        var cutoff = time.GetUtcNow().UtcDateTime - window;
        lock (_gate)
        {
            return Claims.DeleteMany(c => c.ClaimedAt < cutoff);
        }
    }
}
