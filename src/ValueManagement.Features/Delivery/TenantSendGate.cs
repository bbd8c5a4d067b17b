using LiteDB;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Delivery;

/// <summary>
/// The per-tenant ceiling (<see cref="DeliveryOptions.TenantMessagesPerSecond"/>) as seen by every
/// instance that sends for the bot. The sender's own pacing keeps one process under it; this is the
/// part that must be shared when several instances send at once.
/// </summary>
public interface ITenantSendGate
{
    /// <summary>Takes one call from the tenant's allowance at <paramref name="now"/>: null when taken, else when to ask again.</summary>
    DateTimeOffset? TryTake(string tenantId, DateTimeOffset now);
}

/// <summary>One process (LiteDB): the sender's in-process pacing is the whole limit, so every call is let through.</summary>
public sealed class InProcessTenantSendGate : ITenantSendGate
{
    public DateTimeOffset? TryTake(string tenantId, DateTimeOffset now) => null;
}

/// <summary>
/// Several instances on one database: a counter per tenant per second (UTC, whole seconds) in the
/// database, read and increased under the window's lock, so all instances together make at most
/// the ceiling's calls to a tenant in any one second window.
/// </summary>
public sealed class SharedTenantSendGate(IDocumentDatabase database, IOptions<DeliveryOptions> options) : ITenantSendGate
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    public static readonly DocumentCollection<TenantSendWindow> StoredWindows =
        new("delivery_tenant_windows", w => w.Id, nameof(TenantSendWindow.Start));

    private readonly int _limit = options.Value.TenantMessagesPerSecond;
    private long _nextPruneSecond;

    public DateTimeOffset? TryTake(string tenantId, DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var start = DateTimeOffset.FromUnixTimeSeconds(second);
        var id = $"{tenantId}|{second}";
        var windows = database.Collection(StoredWindows);
        var taken = database.InTransaction(() =>
        {
            database.LockKey("tenant-window:" + id);
            var window = windows.Find(id) ?? new TenantSendWindow { Id = id, TenantId = tenantId, Start = start };
            if (window.Calls >= _limit) return false;
            windows.Upsert(window with { Calls = window.Calls + 1 });
            return true;
        });
        Prune(second, now);
        return taken ? null : start.AddSeconds(1);
    }

    private void Prune(long second, DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextPruneSecond);
        if (second < due || Interlocked.CompareExchange(ref _nextPruneSecond, second + (long)KeepFor.TotalSeconds, due) != due) return;
        database.InTransaction(() => database.Collection(StoredWindows).DeleteBefore(w => w.Start, now - KeepFor));
    }
}

/// <summary>Calls made to one tenant in one second, over all instances (collection <c>delivery_tenant_windows</c>).</summary>
public sealed record TenantSendWindow
{
    [BsonId]
    public required string Id { get; init; }
    public required string TenantId { get; init; }
    public DateTimeOffset Start { get; init; }
    public int Calls { get; init; }
}
