using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Delivery;

/// <summary>
/// The send ledger: one small document per proactive message, written before the message is sent
/// and after every attempt, plus the message itself and the fan-outs that were run. Every write is a
/// single-document upsert under a short lock, never held across an await (LiteDB's transactions are
/// per thread). Also answers the status report's queries.
/// </summary>
public sealed class DeliveryLedger(IDocumentDatabase database, TimeProvider time)
{
    private readonly Lock _gate = new();

    public static readonly DocumentCollection<DeliveryEntry> StoredEntries =
        new(Collections.DeliveryLedger, e => e.Id, nameof(DeliveryEntry.FanOutId), nameof(DeliveryEntry.TeamId), nameof(DeliveryEntry.State));
    internal static readonly DocumentCollection<DeliveryPayload> StoredPayloads = new(Collections.DeliveryPayloads, p => p.Id);
    public static readonly DocumentCollection<DeliveryFanOutRecord> StoredFanOuts = new(Collections.DeliveryFanOuts, f => f.Id, nameof(DeliveryFanOutRecord.Kind), nameof(DeliveryFanOutRecord.LastRunAt));

    private IDocumentCollection<DeliveryEntry> Entries => database.Collection(StoredEntries);
    private IDocumentCollection<DeliveryPayload> Payloads => database.Collection(StoredPayloads);
    private IDocumentCollection<DeliveryFanOutRecord> FanOuts => database.Collection(StoredFanOuts);

    public DeliveryEntry? Find(DeliveryKey key) => Find(key.ToString());

    public DeliveryEntry? Find(string key)
    {
        lock (_gate) return Entries.Find(key);
    }

    /// <summary>Every entry of one fan-out (kind + week).</summary>
    public IReadOnlyList<DeliveryEntry> FanOutEntries(string kind, string week)
    {
        lock (_gate) return Entries.Where(e => e.FanOutId, DeliveryKey.FanOutIdOf(kind, week));
    }

    /// <summary>The most recently run fan-outs, newest first, each with its counts.</summary>
    public IReadOnlyList<FanOutStatus> RecentFanOuts(int count = 10, string? kind = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        IReadOnlyList<DeliveryFanOutRecord> fanOuts;
        lock (_gate) fanOuts = kind is null ? FanOuts.Top(f => f.LastRunAt, count) : FanOuts.Top(f => f.LastRunAt, count, f => f.Kind, kind);
        return fanOuts.Select(f => Summarise(f, FanOutEntries(f.Kind, f.Week))).ToList();
    }

    /// <summary>One fan-out's counts, or null when it was never run.</summary>
    public FanOutStatus? FanOut(string kind, string week)
    {
        DeliveryFanOutRecord? record;
        lock (_gate) record = FanOuts.Find(DeliveryKey.FanOutIdOf(kind, week));
        return record is null ? null : Summarise(record, FanOutEntries(kind, week));
    }

    /// <summary>Everything sent (or not) to one team, newest first; optionally one kind and/or week only.</summary>
    public TeamDeliveryStatus Team(string teamId, string? kind = null, string? week = null)
    {
        IReadOnlyList<DeliveryEntry> entries;
        lock (_gate) entries = Entries.Where(e => e.TeamId, teamId);
        var selected = entries
            .Where(e => (kind is null || e.Kind == kind) && (week is null || e.Week == week))
            .OrderByDescending(e => e.CreatedAt)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        return new TeamDeliveryStatus(teamId, selected);
    }

    internal string? ReadPayload(string key)
    {
        lock (_gate) return Payloads.Find(key)?.Json;
    }

    /// <summary>Writes an entry, and its message when given.</summary>
    internal void Save(DeliveryEntry entry, string? payloadJson) => SaveMany([(entry, payloadJson)]);

    /// <summary>
    /// Writes entries (and their messages) in one transaction: one commit for a batch being
    /// admitted. Synchronous and short; LiteDB transactions belong to the calling thread.
    /// </summary>
    internal void SaveMany(IReadOnlyCollection<(DeliveryEntry Entry, string? PayloadJson)> writes)
    {
        if (writes.Count == 0) return;
        lock (_gate)
        {
            database.InTransaction(() =>
            {
                foreach (var (entry, payload) in writes)
                {
                    if (payload is not null) Payloads.Upsert(new DeliveryPayload { Id = entry.Id, Json = payload });
                    Entries.Upsert(entry);
                }
            });
        }
    }

    internal void ReplacePayload(string key, string payloadJson)
    {
        lock (_gate)
        {
            database.InTransaction(() =>
            {
                database.LockKey("delivery:" + key);
                Payloads.Upsert(new DeliveryPayload { Id = key, Json = payloadJson });
                if (Entries.Find(key) is { } entry)
                    Entries.Upsert(entry with { PayloadReplaced = true, UpdatedAt = time.GetUtcNow() });
            });
        }
    }

    /// <summary>Reads, changes and writes one entry atomically; null when it does not exist.</summary>
    internal DeliveryEntry? Change(string key, Func<DeliveryEntry, DeliveryEntry> change)
    {
        lock (_gate)
        {
            return database.InTransaction(() =>
            {
                database.LockKey("delivery:" + key);
                var entry = Entries.Find(key);
                if (entry is null) return null;
                var changed = change(entry) with { UpdatedAt = time.GetUtcNow() };
                Entries.Upsert(changed);
                return changed;
            });
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction holding the keys' locks (taken in one order, so
    /// two instances admitting overlapping batches cannot deadlock): what it reads of those entries
    /// cannot change under it, here or in another instance, until its writes are stored.
    /// </summary>
    internal void UnderKeyLocks(IEnumerable<string> keys, Action work)
    {
        lock (_gate)
        {
            database.InTransaction(() =>
            {
                foreach (var key in keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                    database.LockKey("delivery:" + key);
                work();
            });
        }
    }

    /// <summary>
    /// Marks the entry in flight for <paramref name="owner"/>, unless it is already sent or another
    /// instance holds it in flight and its attempt is younger than <paramref name="lease"/>. An entry
    /// held by another owner for longer is taken over as crashed (counted in InFlightAtCrash).
    /// </summary>
    internal DeliveryClaim Claim(string key, string owner, TimeSpan lease)
    {
        lock (_gate)
        {
            return database.InTransaction(() =>
            {
                database.LockKey("delivery:" + key);
                var entry = Entries.Find(key);
                if (entry is null) return new DeliveryClaim(DeliveryClaimResult.Missing, null);
                var now = time.GetUtcNow();
                if (entry.State == DeliveryState.Sent) return new DeliveryClaim(DeliveryClaimResult.AlreadySent, entry);
                var heldElsewhere = entry.State == DeliveryState.InFlight && entry.Owner != owner;
                if (heldElsewhere && !LeaseExpired(entry, lease, now)) return new DeliveryClaim(DeliveryClaimResult.HeldElsewhere, entry);
                var claimed = entry with
                {
                    State = DeliveryState.InFlight,
                    Owner = owner,
                    Attempts = entry.Attempts + 1,
                    InFlightAtCrash = entry.InFlightAtCrash + (heldElsewhere ? 1 : 0),
                    LastAttemptAt = now,
                    UpdatedAt = now,
                };
                Entries.Upsert(claimed);
                return new DeliveryClaim(heldElsewhere ? DeliveryClaimResult.TakenOver : DeliveryClaimResult.Claimed, claimed);
            });
        }
    }

    /// <summary>Whether an in-flight entry's attempt is older than the lease (its owner is taken to have died).</summary>
    internal static bool LeaseExpired(DeliveryEntry entry, TimeSpan lease, DateTimeOffset now) =>
        lease <= TimeSpan.Zero || entry.LastAttemptAt is not { } attempted || attempted + lease <= now;

    internal void RecordRun(string kind, string week)
    {
        var now = time.GetUtcNow();
        var id = DeliveryKey.FanOutIdOf(kind, week);
        lock (_gate)
        {
            database.InTransaction(() =>
            {
                database.LockKey("fan-out:" + id);
                var existing = FanOuts.Find(id);
                FanOuts.Upsert(new DeliveryFanOutRecord
                {
                    Id = id,
                    Kind = kind,
                    Week = week,
                    FirstRunAt = existing?.FirstRunAt ?? now,
                    LastRunAt = now,
                    Runs = (existing?.Runs ?? 0) + 1,
                });
            });
        }
    }

    /// <summary>Entries that are not finished: pending, in flight, failed, or unreachable (maybe reinstalled since).</summary>
    internal IReadOnlyList<DeliveryEntry> Unfinished()
    {
        lock (_gate)
        {
            return Entries.WhereIn(e => e.State, [DeliveryState.Pending, DeliveryState.InFlight, DeliveryState.Failed, DeliveryState.Unreachable]);
        }
    }

    private static FanOutStatus Summarise(DeliveryFanOutRecord fanOut, IReadOnlyList<DeliveryEntry> entries)
    {
        int Count(DeliveryState state) => entries.Count(e => e.State == state);
        var reasons = entries
            .Where(e => e.State is DeliveryState.Failed or DeliveryState.Unreachable)
            .GroupBy(e => (e.State, e.LastStatus, e.LastErrorCode))
            .Select(g => new FailureReasonCount(g.Key.State, g.Key.LastStatus, g.Key.LastErrorCode, g.First().Reason ?? "unknown", g.Count()))
            .OrderByDescending(r => r.Count)
            .ToList();
        return new FanOutStatus
        {
            Kind = fanOut.Kind,
            Week = fanOut.Week,
            FirstRunAt = fanOut.FirstRunAt,
            LastRunAt = fanOut.LastRunAt,
            Runs = fanOut.Runs,
            Total = entries.Count,
            Pending = Count(DeliveryState.Pending),
            InFlight = Count(DeliveryState.InFlight),
            Sent = Count(DeliveryState.Sent),
            Failed = Count(DeliveryState.Failed),
            Unreachable = Count(DeliveryState.Unreachable),
            ThrottledAndRetried = entries.Count(e => e.Throttles > 0),
            Throttles = entries.Sum(e => e.Throttles),
            Retried = entries.Count(e => e.Attempts > 1),
            InFlightAtCrash = entries.Count(e => e.InFlightAtCrash > 0),
            PossiblyDuplicated = entries.Count(e => e.PossiblyDuplicated),
            FailureReasons = reasons,
        };
    }
}

internal enum DeliveryClaimResult
{
    Claimed,
    TakenOver,
    AlreadySent,
    HeldElsewhere,
    Missing,
}

/// <summary>What <see cref="DeliveryLedger.Claim"/> found, and the entry as it now stands.</summary>
internal readonly record struct DeliveryClaim(DeliveryClaimResult Result, DeliveryEntry? Entry);

/// <summary>One fan-out (kind + week) as the ledger has it now.</summary>
public sealed record FanOutStatus
{
    public required string Kind { get; init; }
    public required string Week { get; init; }
    public DateTimeOffset FirstRunAt { get; init; }
    public DateTimeOffset LastRunAt { get; init; }
    public int Runs { get; init; }

    public int Total { get; init; }
    public int Pending { get; init; }
    public int InFlight { get; init; }
    public int Sent { get; init; }
    public int Failed { get; init; }
    public int Unreachable { get; init; }

    /// <summary>Messages that met at least one 429 (and were retried after waiting).</summary>
    public int ThrottledAndRetried { get; init; }

    /// <summary>429 answers in all.</summary>
    public int Throttles { get; init; }

    /// <summary>Messages that needed more than one attempt, for any reason.</summary>
    public int Retried { get; init; }

    /// <summary>Messages found in flight at start (the process died mid-send) and sent again.</summary>
    public int InFlightAtCrash { get; init; }

    /// <summary>Messages Teams may show twice: re-sent after a crash mid-send or after an unanswered attempt.</summary>
    public int PossiblyDuplicated { get; init; }

    public IReadOnlyList<FailureReasonCount> FailureReasons { get; init; } = [];
}

/// <summary>How many messages of a fan-out failed (or are unreachable) for one reason.</summary>
public sealed record FailureReasonCount(DeliveryState State, int? Status, string? ErrorCode, string Example, int Count);

/// <summary>What was delivered to one team.</summary>
public sealed record TeamDeliveryStatus(string TeamId, IReadOnlyList<DeliveryEntry> Entries)
{
    public int Sent => Entries.Count(e => e.State == DeliveryState.Sent);
    public int NotYetSent => Entries.Count(e => e.State is DeliveryState.Pending or DeliveryState.InFlight);
    public int Failed => Entries.Count(e => e.State == DeliveryState.Failed);
    public int Unreachable => Entries.Count(e => e.State == DeliveryState.Unreachable);
}
