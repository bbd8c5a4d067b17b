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
/// slot per call and slots 1/(ceiling - 1) of a second apart, so that all instances together never make more than the
/// ceiling's calls to a tenant in any second, wherever the second starts (counting whole seconds would let a burst
/// either side of a boundary reach twice the ceiling). A call refused waits for the next free slot; the sender does
/// not count it against its own windows.
/// </summary>
/// <remarks>
/// Slots are read against each instance's own clock: keep the instances' clocks synchronised (NTP), as a clock ahead
/// of the others by d lets its calls come up to d sooner than their slot. Teams' own limit leaves room for that: the
/// default ceiling is 30 a second against Teams' 50.
/// </remarks>
public sealed class SharedTenantSendGate(IDocumentDatabase database, IOptions<DeliveryOptions> options) : ITenantSendGate
{
    public static readonly DocumentCollection<TenantSendPace> StoredPaces = new("delivery_tenant_paces", p => p.Id);

    // A call may take a slot up to one slot old: the instance that wins a slot asks a little after it (a timer, a
    // round trip), and starting the next slot from then instead would let those delays add up and halve the rate.
    // A call up to one slot late means at most one slot more in a second, so slots are 1/(ceiling - 1) s apart,
    // rounded up: never more than the ceiling in any second, and ceiling - 1 a second when busy.
    // With a ceiling of 1 there is no slot to spare for a late call, so none may be taken late.
    private readonly long _slotTicks = SlotTicks(options.Value.TenantMessagesPerSecond);
    private readonly bool _lateAllowed = options.Value.TenantMessagesPerSecond > 1;

    private static long SlotTicks(int ceiling)
    {
        var slots = Math.Max(1, ceiling - 1);
        return (TimeSpan.TicksPerSecond + slots - 1) / slots;
    }

    public DateTimeOffset? TryTake(string tenantId, DateTimeOffset now)
    {
        var paces = database.Collection(StoredPaces);
        var nowTicks = now.UtcTicks;
        var nextFree = database.InTransaction(() =>
        {
            database.LockKey("tenant-pace:" + tenantId);
            var free = paces.Find(tenantId)?.NextFreeUtcTicks;
            if (free > nowTicks) return free;
            // The slot that has come, unless it is more than a slot old (a quiet spell leaves no credit behind).
            var slot = free is { } due && _lateAllowed && nowTicks - due <= _slotTicks ? due : nowTicks;
            paces.Upsert(new TenantSendPace { Id = tenantId, NextFreeUtcTicks = slot + _slotTicks });
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
