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
/// Several instances on one database: the tenant's next free slot in the database, taken under the tenant's lock, one
/// slot per call and slots a ceiling's fraction of a second apart, so that all instances together never make more than
/// the ceiling's calls to a tenant in any second, wherever the second starts (counting whole seconds would let a burst
/// either side of a boundary reach twice the ceiling).
/// </summary>
/// <remarks>
/// Slots are read against each instance's own clock: keep the instances' clocks synchronised (NTP), as a clock ahead
/// of the others by d lets its calls come up to d sooner than their slot. Teams' own limit leaves room for that: the
/// default ceiling is 30 a second against Teams' 50.
/// </remarks>
public sealed class SharedTenantSendGate(IDocumentDatabase database, IOptions<DeliveryOptions> options) : ITenantSendGate
{
    public static readonly DocumentCollection<TenantSendPace> StoredPaces = new("delivery_tenant_paces", p => p.Id);

    // Rounded up, so that the ceiling's number of slots always spans at least a whole second.
    private readonly long _slotTicks = (TimeSpan.TicksPerSecond + options.Value.TenantMessagesPerSecond - 1) / options.Value.TenantMessagesPerSecond;

    public DateTimeOffset? TryTake(string tenantId, DateTimeOffset now)
    {
        var paces = database.Collection(StoredPaces);
        var nowTicks = now.UtcTicks;
        var nextFree = database.InTransaction(() =>
        {
            database.LockKey("tenant-pace:" + tenantId);
            var pace = paces.Find(tenantId);
            if (pace is not null && pace.NextFreeUtcTicks > nowTicks) return pace.NextFreeUtcTicks;
            paces.Upsert(new TenantSendPace { Id = tenantId, NextFreeUtcTicks = nowTicks + _slotTicks });
            return (long?)null;
        });
        return nextFree is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }
}

/// <summary>When a tenant may next be called, over all instances (collection <c>delivery_tenant_paces</c>), in UTC ticks: exact on every engine.</summary>
public sealed record TenantSendPace
{
    [BsonId]
    public required string Id { get; init; }
    public long NextFreeUtcTicks { get; init; }
}
