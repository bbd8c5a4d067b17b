using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Storage;
using ValueManagement.Teams.Authentication;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Delivery;

/// <summary>
/// The one queue every proactive message goes through (replies inside a user's turn go straight out
/// through the turn). It keeps Teams' limits by pacing, not by collecting 429s:
/// <list type="bullet">
/// <item>a <b>tenant lane</b> per tenant: at most <see cref="DeliveryOptions.TenantMessagesPerSecond"/> calls in
/// any one-second window, spaced at least 0.9 of the average interval apart;</item>
/// <item>a <b>conversation lane</b> per channel or chat: Teams' 7 per 1 s, 8 per 2 s, 60 per 30 s and 1800 per
/// hour (each widened by a margin), one call at a time, in order.</item>
/// </list>
/// Each message is written to the <see cref="DeliveryLedger"/> before it is sent, marked in flight
/// just before the HTTP call and settled after it, so a message the ledger holds as sent is never
/// posted again. The Connector is called with <c>retry: false</c>: retry timing belongs here.
/// A 429 pauses the conversation's lane for Retry-After (or a back-off); when that lane had sent
/// nothing else in the two seconds before, the 429 cannot be the conversation's own limit, so the
/// whole tenant lane is paused too. 412, 5xx and unanswered calls are retried after a jittered
/// exponential back-off; after <see cref="DeliveryOptions.MaxAttempts"/> the entry is Failed with its
/// reason, and the next run tries it again.
/// </summary>
public sealed partial class ProactiveSender : BackgroundService
{
    private static readonly TimeSpan ConversationLimitEvidence = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(1);

    // Tenant calls are at least 0.9 of the average interval apart: nearly even (a sliding window alone
    // would let the first second go out as one burst and then repeat that burst every second), with
    // a little room to catch up after a late timer.
    private const double TenantSpacing = 0.9;

    private readonly DeliveryLedger _ledger;
    private readonly ConversationStore _conversations;
    private readonly IServiceProvider _services;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProactiveSender> _logger;
    private readonly string _runId = Guid.NewGuid().ToString("N");
    private readonly ITenantSendGate _tenantGate;

    // How long an entry in flight under another owner is left alone: with one process (LiteDB) any
    // other owner is a process that died, so none; with instances sharing PostgreSQL, the lease.
    private readonly TimeSpan _inFlightLease;

    // Admission (ledger check + write + enqueue) is serialised so one key is never queued twice.
    private readonly Lock _admission = new();

    // Everything below is guarded by _sync.
    private readonly Lock _sync = new();
    private readonly Dictionary<string, TenantLane> _tenants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkItem> _active = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = NewSignal();
    private TaskCompletionSource _parkedSignal = NewSignal();
    private TaskCompletionSource? _drained;
    private int _inFlight;
    private bool _parked;
    private DateTimeOffset _parkedUntil;
    private DateTimeOffset _nextSweep;

    private readonly CancellationTokenSource _abort = new();
    private volatile bool _accepting;
    private volatile bool _stopping;

    public ProactiveSender(
        DeliveryLedger ledger,
        ConversationStore conversations,
        IServiceProvider services,
        IOptions<DeliveryOptions> options,
        TimeProvider time,
        ILogger<ProactiveSender> logger,
        IOptions<StorageOptions> storage,
        ITenantSendGate tenantGate)
    {
        _ledger = ledger;
        _tenantGate = tenantGate;
        _inFlightLease = storage.Value.Provider == StorageProvider.PostgreSql ? options.Value.InFlightLease : TimeSpan.Zero;
        _conversations = conversations;
        _services = services;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Messages waiting in the queue (not yet handed to the Connector).</summary>
    public int Queued
    {
        get { lock (_sync) return _tenants.Values.Sum(t => t.Lanes.Values.Sum(l => l.Items.Count)); }
    }

    /// <summary>Connector calls under way.</summary>
    public int InFlight
    {
        get { lock (_sync) return _inFlight; }
    }

    /// <summary>
    /// Sends every message of the fan-out that the ledger does not hold as sent, through the paced
    /// queue, and waits until each has an outcome. Safe to run again (a retried or re-run job): sent
    /// keys are skipped, failed ones are tried again, unreachable ones wait for a reinstall, and keys
    /// still queued from a concurrent run are joined rather than queued twice. Cancelling withdraws
    /// the messages not yet handed to the Connector (they stay pending in the ledger) and throws.
    /// </summary>
    public Task<FanOutResult> FanOutAsync(FanOut fanOut, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fanOut);
        ArgumentException.ThrowIfNullOrWhiteSpace(fanOut.Kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(fanOut.Week);
        var items = fanOut.Items.ToList();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.Key.Kind != fanOut.Kind || item.Key.Week != fanOut.Week)
                throw new ArgumentException($"The key {item.Key} does not belong to the fan-out {fanOut.Kind} {fanOut.Week}.", nameof(fanOut));
            if (!keys.Add(item.Key.ToString()))
                throw new ArgumentException($"The key {item.Key} appears twice in the fan-out.", nameof(fanOut));
        }

        EnsureAccepting();
        var started = _time.GetUtcNow();
        _ledger.RecordRun(fanOut.Kind, fanOut.Week);
        // Every message is admitted (recorded, then queued) before this method first yields.
        var admissions = Admit(items.Select(item => (item.Key.ToString(), (DeliveryItem?)item)));
        return CollectAsync(fanOut.Kind, fanOut.Week, admissions, started, cancellationToken);
    }

    /// <summary>
    /// Re-drives what an earlier process left unfinished: pending entries, entries in flight when it
    /// died (sent again once and counted as possibly duplicated), entries that failed with a
    /// transient error, and unreachable entries whose conversation has been installed again. Runs by
    /// itself at start (<see cref="DeliveryOptions.ResumeOnStart"/>). Entries older than
    /// <see cref="DeliveryOptions.ResumeWindow"/> are left for the report.
    /// </summary>
    public Task<FanOutResult> ResumeUnfinishedAsync(CancellationToken cancellationToken)
    {
        EnsureAccepting();
        var started = _time.GetUtcNow();
        var cutoff = started - _options.ResumeWindow;
        var keys = new List<(string, DeliveryItem?)>();
        var stale = 0;
        foreach (var entry in _ledger.Unfinished())
        {
            if (entry.CreatedAt < cutoff)
            {
                stale++;
                continue;
            }
            if (entry.State == DeliveryState.Failed && !entry.Retryable) continue;
            if (entry.State == DeliveryState.Unreachable && !Reinstalled(entry)) continue;
            keys.Add((entry.Id, null));
        }
        if (stale > 0) LogStaleEntries(_logger, stale, _options.ResumeWindow);
        var admissions = Admit(keys);
        return CollectAsync(null, null, admissions, started, cancellationToken);
    }

    /// <summary>
    /// Replaces a message posted earlier under <paramref name="key"/> (PUT to the stored activity id),
    /// through the same lanes as sends, so it follows the send it updates. The stored message is
    /// replaced too: a copy not posted yet (pending, failed) will be posted as the replacement.
    /// </summary>
    public async Task<UpdateResult> UpdateAsync(DeliveryKey key, Activity replacement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        EnsureAccepting();
        var id = key.ToString();
        var json = JsonSerializer.Serialize(replacement, TeamsJsonContext.Default.Activity);
        WorkItem work;
        lock (_admission)
        {
            EnsureAccepting();
            var entry = _ledger.Find(id);
            if (entry is null) return new UpdateResult(id, UpdateOutcome.NotFound, "No such key in the delivery ledger.");
            _ledger.ReplacePayload(id, json);
            bool sendQueued;
            lock (_sync) sendQueued = _active.ContainsKey(id);
            if (!sendQueued && entry.State == DeliveryState.Unreachable)
                return new UpdateResult(id, UpdateOutcome.Unreachable, entry.Reason);
            if (!sendQueued && entry.State != DeliveryState.Sent)
                return new UpdateResult(id, UpdateOutcome.PayloadReplaced);

            // Same lane as the send, so an update queued behind its send goes after it.
            work = new WorkItem(Operation.Update, id, $"update|{id}|{Guid.NewGuid():N}", entry.TenantId ?? string.Empty,
                ConversationStore.BaseId(entry.ConversationId)) { Replacement = json };
            lock (_sync)
            {
                _active[work.ActiveKey] = work;
                Enqueue(work);
            }
        }
        Signal();

        ItemOutcome outcome;
        using (cancellationToken.Register(() => Withdraw([work])))
            outcome = await work.Completion.Task.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return outcome.Result switch
        {
            ItemResult.Updated => new UpdateResult(id, UpdateOutcome.Updated),
            ItemResult.PayloadReplaced => new UpdateResult(id, UpdateOutcome.PayloadReplaced),
            ItemResult.Unreachable => new UpdateResult(id, UpdateOutcome.Unreachable, outcome.Reason),
            _ => new UpdateResult(id, UpdateOutcome.Failed, outcome.Reason),
        };
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _accepting = true;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Stops taking work, withdraws what is queued (it stays pending in the ledger and is resumed at
    /// the next start), and lets calls under way finish until the host's shutdown deadline. A call
    /// still under way then is abandoned: its entry stays in flight and counts as possibly
    /// duplicated when it is resumed.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _accepting = false;
        _stopping = true;
        WithdrawAll();
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Task drained;
            lock (_sync)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (_inFlight == 0) _drained.TrySetResult();
                drained = _drained.Task;
            }
            try
            {
                await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                LogAbandoned(_logger, InFlight);
            }
            await _abort.CancelAsync().ConfigureAwait(false);
        }
    }

    public override void Dispose()
    {
        // Not disposed: an abandoned call may still read its token. Cancelling is idempotent.
        _abort.Cancel();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loop = RunLoopAsync(stoppingToken);
        await WarmUpTokenAsync(stoppingToken).ConfigureAwait(false);
        if (_options.ResumeOnStart)
        {
            try
            {
                var resumed = await ResumeUnfinishedAsync(stoppingToken).ConfigureAwait(false);
                if (resumed.Total > 0)
                    LogResumed(_logger, resumed.Total, resumed.Sent, resumed.Failed, resumed.Unreachable, resumed.InFlightAtCrash, resumed.PossiblyDuplicated);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                LogResumeFailed(_logger, e);
            }
        }
        await loop.ConfigureAwait(false);
    }

    /// <summary>
    /// Fetches the Connector token once at start, so the first calls of a fan-out do not all wait
    /// for it and then reach Teams at the same moment. (Should calls stall later, for a token refresh
    /// or a slow network, at most <see cref="DeliveryOptions.MaxConcurrentSends"/> of them can be
    /// released together: 30 + 16 stays under Teams' 50 per second.)
    /// </summary>
    private async Task WarmUpTokenAsync(CancellationToken stoppingToken)
    {
        if (_services.GetService<IConnectorTokenProvider>() is not { } tokens) return;
        try
        {
            await tokens.GetTokenAsync(forceRefresh: false, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogTokenWarmUpFailed(_logger, e);
        }
    }

    // ---- Admission -------------------------------------------------------------------------

    private readonly record struct Admission(string Key, ItemOutcome? Immediate, WorkItem? Work);

    private const int AdmissionBatch = 64;

    /// <summary>Admits keys a batch at a time (one ledger transaction per batch).</summary>
    private List<Admission> Admit(IEnumerable<(string Key, DeliveryItem? Item)> keys)
    {
        var admissions = new List<Admission>();
        foreach (var batch in keys.Chunk(AdmissionBatch))
            admissions.AddRange(AdmitBatch(batch));
        return admissions;
    }

    /// <summary>
    /// Decides what to do with each key, records the ones to send as pending (one transaction),
    /// and only then queues them.
    /// </summary>
    private Admission[] AdmitBatch(IReadOnlyList<(string Key, DeliveryItem? Item)> batch)
    {
        var admissions = new Admission[batch.Count];
        var writes = new List<(DeliveryEntry, string?)>(batch.Count);
        var queue = new List<WorkItem>(batch.Count);
        lock (_admission)
        {
            if (_stopping)
            {
                // Stopping: leave the ledger as it is; the next start (or run) picks these up.
                return batch.Select(b => new Admission(b.Key, new ItemOutcome(ItemResult.Cancelled, null, null, "The sender is stopping.", 0, 0, false, false), null)).ToArray();
            }
            // Decided and written under the keys' locks: another instance admitting or sending one of
            // these keys waits, so no entry is recorded as pending over a send made meanwhile.
            _ledger.UnderKeyLocks(batch.Select(b => b.Key), () =>
            {
                for (var i = 0; i < batch.Count; i++)
                    admissions[i] = Decide(batch[i].Key, batch[i].Item, writes, queue);
                _ledger.SaveMany(writes);
            });
            if (queue.Count > 0)
            {
                lock (_sync)
                {
                    foreach (var work in queue)
                    {
                        _active[work.ActiveKey] = work;
                        Enqueue(work);
                    }
                    _wake.TrySetResult();
                }
            }
        }
        return admissions;
    }

    /// <summary>What to do with one key: skip it (sent, unreachable), join a run already under way, settle it, or send it.</summary>
    private Admission Decide(string key, DeliveryItem? item, List<(DeliveryEntry, string?)> writes, List<WorkItem> queue)
    {
        lock (_sync)
        {
            if (_active.TryGetValue(key, out var running))
            {
                running.Waiters++;
                return new Admission(key, null, running);
            }
        }

        var now = _time.GetUtcNow();
        var entry = _ledger.Find(key);
        if (entry is null && item is null)
            return new Admission(key, new ItemOutcome(ItemResult.Failed, null, null, "The ledger entry is gone.", 0, 0, false, false), null);
        var crashed = false;
        switch (entry?.State)
        {
            case DeliveryState.Sent:
                return new Admission(key, ItemOutcome.Of(ItemResult.AlreadySent, entry), null);
            case DeliveryState.Unreachable when !Reinstalled(entry):
                return new Admission(key, ItemOutcome.Of(ItemResult.Unreachable, entry), null);
            case DeliveryState.InFlight when entry.Owner != _runId && !DeliveryLedger.LeaseExpired(entry, _inFlightLease, now):
                // Another instance is sending it now; it settles the entry.
                return new Admission(key, ItemOutcome.Of(ItemResult.InFlightElsewhere, entry), null);
            case DeliveryState.InFlight:
                // Not ours (we would hold it in _active): a process died mid-send.
                crashed = true;
                LogFoundInFlight(_logger, key, entry.Owner ?? "?");
                break;
        }

        var target = item?.Target ?? Refresh(new ConversationTarget(entry!.ServiceUrl, entry.ConversationId));
        var tenantId = item is null ? entry!.TenantId : item.TenantId ?? entry?.TenantId;

        string? payload = null;
        if (item is not null && entry?.PayloadReplaced != true)
        {
            try
            {
                payload = JsonSerializer.Serialize(item.CreateActivity(), TeamsJsonContext.Default.Activity);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One message that cannot be rendered must not stop the others.
                return Settle(entry ?? NewEntry(key, target, tenantId, now), DeliveryState.Failed, $"The message could not be rendered: {e.Message}", writes);
            }
        }
        else if (_ledger.ReadPayload(key) is null)
        {
            return Settle(entry!, DeliveryState.Failed, "The stored message is missing.", writes);
        }

        var pending = (entry ?? NewEntry(key, target, tenantId, now)) with
        {
            State = DeliveryState.Pending,
            TenantId = tenantId,
            ServiceUrl = target.ServiceUrl,
            ConversationId = target.ConversationId,
            Owner = null,
            Retryable = false,
            InFlightAtCrash = (entry?.InFlightAtCrash ?? 0) + (crashed ? 1 : 0),
            UncertainAttempts = (entry?.UncertainAttempts ?? 0) + (entry is null && item?.MayHaveArrivedBefore == true ? 1 : 0),
            UpdatedAt = now,
        };

        if (_conversations.Find(target.ConversationId) is { Active: false } inactive)
        {
            writes.Add((pending, payload));
            return Settle(pending, DeliveryState.Unreachable, $"The conversation is inactive: {inactive.InactiveReason ?? "no reason recorded"}.", writes);
        }

        writes.Add((pending, payload));
        var work = new WorkItem(Operation.Send, key, key, tenantId ?? string.Empty, ConversationStore.BaseId(target.ConversationId))
        {
            CrashRecovered = crashed,
        };
        queue.Add(work);
        return new Admission(key, null, work);
    }

    /// <summary>Settles an entry without sending it (the write goes with the batch).</summary>
    private Admission Settle(DeliveryEntry entry, DeliveryState state, string reason, List<(DeliveryEntry, string?)> writes)
    {
        var settled = entry with { State = state, LastStatus = null, LastErrorCode = null, Reason = reason, Retryable = false, Owner = null, UpdatedAt = _time.GetUtcNow() };
        writes.Add((settled, null));
        LogNotSent(_logger, entry.Id, state, reason);
        var result = state == DeliveryState.Unreachable ? ItemResult.Unreachable : ItemResult.Failed;
        return new Admission(entry.Id, ItemOutcome.Of(result, settled), null);
    }

    private DeliveryEntry NewEntry(string id, ConversationTarget target, string? tenantId, DateTimeOffset now)
    {
        var key = DeliveryKey.Parse(id);
        return new DeliveryEntry
        {
            Id = id,
            Kind = key.Kind,
            TeamId = key.TeamId,
            Week = key.Week,
            Destination = key.Destination,
            FanOutId = key.FanOutId,
            TenantId = tenantId,
            ServiceUrl = target.ServiceUrl,
            ConversationId = target.ConversationId,
            State = DeliveryState.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>An unreachable conversation counts as reinstalled once its stored reference is active again and newer than the failure.</summary>
    private bool Reinstalled(DeliveryEntry entry) =>
        _conversations.Find(entry.ConversationId) is { Active: true } record && record.UpdatedAt > entry.UpdatedAt;

    /// <summary>Teams may move a conversation's service URL; the stored reference has the latest.</summary>
    private ConversationTarget Refresh(ConversationTarget target) =>
        _conversations.Find(target.ConversationId) is { Active: true } record && record.ServiceUrl != target.ServiceUrl
            ? target with { ServiceUrl = record.ServiceUrl }
            : target;

    private async Task<FanOutResult> CollectAsync(string? kind, string? week, List<Admission> admissions, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var queued = admissions.Where(a => a.Work is not null).Select(a => a.Work!).Distinct().ToList();
        if (queued.Count > 0)
        {
            using (cancellationToken.Register(() => Withdraw(queued)))
                await Task.WhenAll(queued.Select(w => w.Completion.Task)).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();

        var outcomes = admissions.Select(a => (a.Key, Outcome: a.Immediate ?? a.Work!.Completion.Task.Result)).ToList();
        int Count(ItemResult result) => outcomes.Count(o => o.Outcome.Result == result);
        var result = new FanOutResult
        {
            Kind = kind,
            Week = week,
            Total = outcomes.Count,
            Sent = Count(ItemResult.Sent),
            AlreadySent = Count(ItemResult.AlreadySent),
            Failed = Count(ItemResult.Failed),
            Unreachable = Count(ItemResult.Unreachable),
            Cancelled = Count(ItemResult.Cancelled),
            InFlightElsewhere = Count(ItemResult.InFlightElsewhere),
            Throttled = outcomes.Sum(o => o.Outcome.Throttles),
            Retries = outcomes.Sum(o => o.Outcome.Retries),
            InFlightAtCrash = outcomes.Count(o => o.Outcome.CrashRecovered),
            PossiblyDuplicated = outcomes.Count(o => o.Outcome.Result == ItemResult.Sent && o.Outcome.PossiblyDuplicated),
            Failures = outcomes
                .Where(o => o.Outcome.Result is ItemResult.Failed or ItemResult.Unreachable)
                .Select(o => new DeliveryFailure(o.Key, o.Outcome.Result == ItemResult.Unreachable ? DeliveryState.Unreachable : DeliveryState.Failed,
                    o.Outcome.Status, o.Outcome.ErrorCode, o.Outcome.Reason ?? "unknown"))
                .ToList(),
            Elapsed = _time.GetUtcNow() - started,
        };
        if (kind is not null)
            LogFanOut(_logger, kind, week!, result.Total, result.Sent, result.AlreadySent, result.Failed, result.Unreachable, result.Throttled, result.PossiblyDuplicated);
        return result;
    }

    private void EnsureAccepting()
    {
        if (!_accepting)
            throw new InvalidOperationException("The proactive sender is not running: it is a hosted service (AddDelivery) and takes work between host start and stop.");
    }

    // ---- Queue and lanes (all under _sync) -----------------------------------------------------

    private void Enqueue(WorkItem work, bool first = false)
    {
        if (!_tenants.TryGetValue(work.TenantId, out var tenant))
        {
            tenant = new TenantLane(work.TenantId, new SlidingWindowLog(
                [new RateWindow(_options.TenantMessagesPerSecond, TimeSpan.FromSeconds(1))],
                minimumSpacing: TimeSpan.FromSeconds(TenantSpacing / _options.TenantMessagesPerSecond)));
            _tenants.Add(work.TenantId, tenant);
        }
        if (!tenant.Lanes.TryGetValue(work.LaneId, out var lane))
        {
            lane = new ConversationLane(work.LaneId, tenant, new SlidingWindowLog(TeamsRateLimits.PerConversation, _options.ConversationWindowMargin));
            tenant.Lanes.Add(work.LaneId, lane);
        }
        work.Lane = lane;
        work.Node = first ? lane.Items.AddFirst(work) : lane.Items.AddLast(work);
        MakeReady(lane);
    }

    private static void MakeReady(ConversationLane lane)
    {
        if (lane.Busy || lane.Scheduled || lane.Items.Count == 0) return;
        lane.Scheduled = true;
        lane.Tenant.Ready.Enqueue(lane);
    }

    /// <summary>Picks every call that may start now; returns when the next one may, if known.</summary>
    private DateTimeOffset? Schedule(DateTimeOffset now, List<WorkItem> starting)
    {
        DateTimeOffset? earliest = null;
        foreach (var tenant in _tenants.Values)
        {
            while (tenant.Waiting.TryPeek(out var due, out var at) && at <= now)
            {
                tenant.Waiting.Dequeue();
                tenant.Ready.Enqueue(due);
            }

            while (tenant.Ready.Count > 0 && _inFlight < _options.MaxConcurrentSends)
            {
                if (tenant.PausedUntil > now)
                {
                    earliest = Earliest(earliest, tenant.PausedUntil);
                    break;
                }
                var paced = tenant.Pacer.NextAllowed(now);
                if (paced > now)
                {
                    earliest = Earliest(earliest, paced);
                    break;
                }

                var lane = tenant.Ready.Dequeue();
                if (lane.Busy || lane.Items.Count == 0)
                {
                    lane.Scheduled = false;
                    continue;
                }
                var laneAt = lane.Windows.NextAllowed(now);
                if (lane.PausedUntil > laneAt) laneAt = lane.PausedUntil;
                if (laneAt > now)
                {
                    tenant.Waiting.Enqueue(lane, laneAt);
                    continue;
                }

                var work = lane.Items.First!.Value;
                lane.Items.RemoveFirst();
                work.Node = null;
                lane.Busy = true;
                lane.Scheduled = false;
                lane.Windows.Record(now);
                tenant.Pacer.Record(now);
                work.DispatchedAt = now;
                work.Attempt++;
                _inFlight++;
                starting.Add(work);
            }

            if (tenant.Waiting.TryPeek(out _, out var next))
                earliest = Earliest(earliest, next);
        }
        return earliest;
    }

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } value && value <= candidate ? value : candidate;

    /// <summary>Forgets lanes (and tenants) with nothing queued and nothing inside their longest window.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now < _nextSweep) return;
        _nextSweep = now + SweepEvery;
        foreach (var tenant in _tenants.Values.ToList())
        {
            foreach (var lane in tenant.Lanes.Values.Where(l => !l.Busy && !l.Scheduled && l.Items.Count == 0 && l.PausedUntil <= now && l.Windows.IsIdle(now)).ToList())
                tenant.Lanes.Remove(lane.Id);
            if (tenant.Lanes.Count == 0 && tenant.Ready.Count == 0 && tenant.Waiting.Count == 0 && tenant.PausedUntil <= now && tenant.Pacer.IsIdle(now))
                _tenants.Remove(tenant.Id);
        }
    }

    private void Withdraw(IEnumerable<WorkItem> works)
    {
        var withdrawn = new List<WorkItem>();
        lock (_sync)
        {
            foreach (var work in works)
            {
                if (work.Node is null || --work.Waiters > 0) continue;
                work.Lane!.Items.Remove(work.Node);
                work.Node = null;
                _active.Remove(work.ActiveKey);
                withdrawn.Add(work);
            }
        }
        foreach (var work in withdrawn)
            work.Completion.TrySetResult(ItemOutcome.Cancelled(work));
    }

    private void WithdrawAll()
    {
        var withdrawn = new List<WorkItem>();
        // After any batch being admitted; later batches see _stopping and queue nothing.
        lock (_admission)
        lock (_sync)
        {
            foreach (var lane in _tenants.Values.SelectMany(t => t.Lanes.Values))
            {
                foreach (var work in lane.Items)
                {
                    work.Node = null;
                    _active.Remove(work.ActiveKey);
                    withdrawn.Add(work);
                }
                lane.Items.Clear();
            }
            _wake.TrySetResult();
        }
        foreach (var work in withdrawn)
            work.Completion.TrySetResult(ItemOutcome.Cancelled(work));
    }

    private void Signal()
    {
        lock (_sync) _wake.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    // ---- The dispatch loop -------------------------------------------------------------------

    private async Task RunLoopAsync(CancellationToken stoppingToken)
    {
        var starting = new List<WorkItem>();
        while (!stoppingToken.IsCancellationRequested)
        {
            Task wake;
            Task? timer = null;
            using var timerCancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            starting.Clear();
            try
            {
                lock (_sync)
                {
                    if (_wake.Task.IsCompleted) _wake = NewSignal();
                    wake = _wake.Task;
                    _parked = false;
                    var now = _time.GetUtcNow();
                    var wakeAt = Schedule(now, starting);
                    Sweep(now);
                    if (starting.Count == 0)
                    {
                        // The timer is set from the same "now", before anyone can see the loop parked,
                        // so time that passes from here on counts towards it.
                        if (wakeAt is { } at) timer = Task.Delay(at - now, _time, timerCancel.Token);
                        _parked = true;
                        _parkedUntil = wakeAt ?? DateTimeOffset.MaxValue;
                        _parkedSignal.TrySetResult();
                        _parkedSignal = NewSignal();
                    }
                }
            }
            catch (Exception e)
            {
                // A bug here must not silently stop every proactive message: log it and carry on.
                LogLoopFailed(_logger, e);
                starting.Clear();
                wake = timer = Task.Delay(TimeSpan.FromSeconds(1), _time, timerCancel.Token);
            }

            foreach (var work in starting)
                _ = RunAsync(work);
            if (starting.Count > 0)
            {
                // Never loop on inside whoever completed our timer (a clock's Advance, a timer thread): an
                // attempt that ends at once and is due again at once would otherwise spin there, and on a
                // fake clock time would never move again.
                await Task.Yield();
                continue;
            }

            try
            {
                if (timer is null) await wake.WaitAsync(stoppingToken).ConfigureAwait(false);
                else await Task.WhenAny(wake, timer).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            finally
            {
                await timerCancel.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>For tests on a fake clock: completes once nothing is under way and the loop waits for time (or work); gives the time it waits for.</summary>
    internal async Task<DateTimeOffset?> WhenIdleAsync()
    {
        while (true)
        {
            Task changed;
            lock (_sync)
            {
                if (_parked && _inFlight == 0 && !_wake.Task.IsCompleted && _parkedUntil > _time.GetUtcNow())
                    return _parkedUntil == DateTimeOffset.MaxValue ? null : _parkedUntil;
                changed = _parkedSignal.Task;
            }
            await changed.ConfigureAwait(false);
        }
    }

    // ---- One attempt -------------------------------------------------------------------------

    private async Task RunAsync(WorkItem work)
    {
        Attempt attempt;
        try
        {
            attempt = work.Operation == Operation.Send
                ? await SendOnceAsync(work).ConfigureAwait(false)
                : await UpdateOnceAsync(work).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Shutting down mid-call: Teams may or may not have it. The entry stays in flight and is
            // counted as possibly duplicated when the next start resumes it.
            attempt = Attempt.Final(ItemOutcome.Cancelled(work));
        }
        catch (Exception e)
        {
            LogAttemptCrashed(_logger, work.Key, e);
            attempt = Attempt.Final(FailUnexpectedly(work, e));
        }
        Complete(work, attempt);
    }

    private ItemOutcome FailUnexpectedly(WorkItem work, Exception e)
    {
        var reason = $"Unexpected {e.GetType().Name}: {e.Message}";
        try
        {
            if (work.Operation == Operation.Send)
                _ledger.Change(work.Key, entry => entry with { State = DeliveryState.Failed, Owner = null, Reason = reason, Retryable = false });
        }
        catch (Exception)
        {
            // The ledger itself is failing (disposed, disk): the entry stays as it was and is resumed later.
        }
        return new ItemOutcome(ItemResult.Failed, null, null, reason, work.Throttles, Math.Max(0, work.Attempt - 1), work.CrashRecovered, false);
    }

    private async Task<Attempt> SendOnceAsync(WorkItem work)
    {
        if (WaitForTenantAllowance(work) is { } wait) return wait;
        var json = _ledger.ReadPayload(work.Key);
        var claim = _ledger.Claim(work.Key, _runId, _inFlightLease);
        switch (claim.Result)
        {
            case DeliveryClaimResult.AlreadySent:
                return Attempt.Final(ItemOutcome.Of(ItemResult.AlreadySent, claim.Entry!));
            case DeliveryClaimResult.HeldElsewhere:
                return Attempt.Final(ItemOutcome.Of(ItemResult.InFlightElsewhere, claim.Entry!));
            case DeliveryClaimResult.TakenOver:
                LogFoundInFlight(_logger, work.Key, "lease expired");
                break;
        }
        var entry = claim.Entry;
        if (entry is null || json is null)
            return Attempt.Final(FailUnexpectedly(work, new InvalidOperationException("The ledger entry or its stored message is missing.")));

        var activity = JsonSerializer.Deserialize(json, TeamsJsonContext.Default.Activity)!;
        var target = new ConversationTarget(entry.ServiceUrl, entry.ConversationId);
        try
        {
            var connector = _services.GetRequiredService<ConnectorClient>();
            var response = await connector.SendAsync(target, activity, _abort.Token, retry: false).ConfigureAwait(false);
            var sentAt = _time.GetUtcNow();
            // Still ours unless this call outlived the lease and another instance took the entry over:
            // then both may have posted it, and the entry says so rather than being rewritten.
            var sent = _ledger.Change(work.Key, e => !OwnedInFlight(e) ? e with { PossiblyDuplicated = true } : e with
            {
                State = DeliveryState.Sent,
                Owner = null,
                Retryable = false,
                ActivityId = response?.Id,
                SentConversationId = target.ConversationId,
                SentAt = sentAt,
                PossiblyDuplicated = e.InFlightAtCrash > 0 || e.UncertainAttempts > 0,
            })!;
            return Attempt.Final(new ItemOutcome(ItemResult.Sent, null, null, null, work.Throttles, work.Attempt - 1, work.CrashRecovered, sent.PossiblyDuplicated));
        }
        catch (ConnectorException e)
        {
            return Failed(work, e);
        }
    }

    /// <summary>
    /// Asks the tenant gate (shared by instances on PostgreSQL) for one call; when the tenant's second
    /// is used up, the tenant waits for the next one and this does not count as an attempt.
    /// </summary>
    private Attempt? WaitForTenantAllowance(WorkItem work)
    {
        var now = _time.GetUtcNow();
        if (_tenantGate.TryTake(work.TenantId, now) is not { } retryAt) return null;
        work.Attempt--;
        return Attempt.WaitForTenant(retryAt - now);
    }

    private async Task<Attempt> UpdateOnceAsync(WorkItem work)
    {
        var entry = _ledger.Find(work.Key);
        if (entry is null)
            return Attempt.Final(new ItemOutcome(ItemResult.Failed, null, null, "The ledger entry is gone.", 0, 0, false, false));
        if (entry.State == DeliveryState.Unreachable)
            return Attempt.Final(new ItemOutcome(ItemResult.Unreachable, entry.LastStatus, entry.LastErrorCode, entry.Reason, 0, 0, false, false));
        if (entry.State != DeliveryState.Sent)
            return Attempt.Final(new ItemOutcome(ItemResult.PayloadReplaced, null, null, null, 0, 0, false, false));
        if (entry.ActivityId is null)
            return Attempt.Final(new ItemOutcome(ItemResult.Failed, null, null, "Teams returned no activity id for this message, so it cannot be updated in place.", 0, 0, false, false));

        if (WaitForTenantAllowance(work) is { } wait) return wait;
        var activity = JsonSerializer.Deserialize(work.Replacement!, TeamsJsonContext.Default.Activity)!;
        var target = Refresh(new ConversationTarget(entry.ServiceUrl, entry.SentConversationId ?? entry.ConversationId));
        try
        {
            var connector = _services.GetRequiredService<ConnectorClient>();
            await connector.UpdateAsync(target, entry.ActivityId, activity, _abort.Token, retry: false).ConfigureAwait(false);
            var updatedAt = _time.GetUtcNow();
            _ledger.Change(work.Key, e => e with { Updates = e.Updates + 1, LastUpdatedAt = updatedAt, LastUpdateError = null });
            return Attempt.Final(new ItemOutcome(ItemResult.Updated, null, null, null, work.Throttles, work.Attempt - 1, false, false));
        }
        catch (ConnectorException e)
        {
            return Failed(work, e);
        }
    }

    /// <summary>Retry later, or settle the entry as Failed / Unreachable.</summary>
    private Attempt Failed(WorkItem work, ConnectorException e)
    {
        var throttled = e.Kind == ConnectorFailureKind.Throttled;
        var uncertain = e.MayHaveArrived;
        var status = (int?)e.StatusCode;
        if (throttled) work.Throttles++;

        if (e.IsRetryable && work.Attempt < _options.MaxAttempts && !_stopping)
        {
            if (work.Operation == Operation.Send)
            {
                _ledger.Change(work.Key, entry => !OwnedInFlight(entry) ? entry : entry with
                {
                    State = DeliveryState.Pending,
                    Owner = null,
                    Throttles = entry.Throttles + (throttled ? 1 : 0),
                    UncertainAttempts = entry.UncertainAttempts + (uncertain ? 1 : 0),
                    LastStatus = status,
                    LastErrorCode = e.ErrorCode,
                    Reason = e.Message,
                });
            }
            var delay = e.RetryAfter ?? Backoff(work.Attempt);
            LogRetrying(_logger, work.Operation, work.Key, status ?? 0, e.ErrorCode ?? "-", delay.TotalMilliseconds, work.Attempt);
            return Attempt.Retry(delay, throttled);
        }

        var result = e.Kind == ConnectorFailureKind.ConversationUnreachable ? ItemResult.Unreachable : ItemResult.Failed;
        if (work.Operation == Operation.Send)
        {
            _ledger.Change(work.Key, entry => !OwnedInFlight(entry) ? entry : entry with
            {
                State = result == ItemResult.Unreachable ? DeliveryState.Unreachable : DeliveryState.Failed,
                Owner = null,
                Retryable = e.IsRetryable,
                Throttles = entry.Throttles + (throttled ? 1 : 0),
                UncertainAttempts = entry.UncertainAttempts + (uncertain ? 1 : 0),
                LastStatus = status,
                LastErrorCode = e.ErrorCode,
                Reason = e.Message,
            });
        }
        else
        {
            _ledger.Change(work.Key, entry => entry with { LastUpdateError = e.Message });
        }
        LogGaveUp(_logger, work.Operation, work.Key, result, status ?? 0, e.ErrorCode ?? "-", work.Attempt, e.Message);
        return Attempt.Final(new ItemOutcome(result, status, e.ErrorCode, e.Message, work.Throttles, work.Attempt - 1, work.CrashRecovered, false));
    }

    /// <summary>Whether the entry is still in flight under this instance (not taken over by another after the lease).</summary>
    private bool OwnedInFlight(DeliveryEntry entry) => entry.State == DeliveryState.InFlight && entry.Owner == _runId;

    /// <summary>Exponential from <see cref="DeliveryOptions.BaseDelay"/>, ±20% jitter, capped at <see cref="DeliveryOptions.MaxDelay"/>.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var exponential = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var jittered = Math.Min(exponential, _options.MaxDelay.TotalMilliseconds) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _options.MaxDelay.TotalMilliseconds));
    }

    private void Complete(WorkItem work, Attempt attempt)
    {
        var now = _time.GetUtcNow();
        var outcome = attempt.Outcome;
        lock (_sync)
        {
            _inFlight--;
            var lane = work.Lane!;
            lane.Busy = false;
            if (outcome is null && _stopping)
                outcome = ItemOutcome.Cancelled(work);

            if (attempt.NoCall)
            {
                lane.Windows.Forget(work.DispatchedAt);
                lane.Tenant.Pacer.Forget(work.DispatchedAt);
            }
            if (outcome is null)
            {
                var until = now + attempt.Delay;
                if (until > lane.PausedUntil) lane.PausedUntil = until;
                // Our own windows keep this conversation under its limits; a 429 on a conversation
                // that was quiet for the last two seconds is the tenant's limit, so the tenant waits.
                if (attempt.TenantWait && until > lane.Tenant.PausedUntil) lane.Tenant.PausedUntil = until;
                if (attempt.Throttled && lane.Windows.CountBetween(work.DispatchedAt - ConversationLimitEvidence, work.DispatchedAt) <= 1
                    && until > lane.Tenant.PausedUntil)
                {
                    lane.Tenant.PausedUntil = until;
                }
                work.Node = lane.Items.AddFirst(work);
            }
            else
            {
                _active.Remove(work.ActiveKey);
            }
            MakeReady(lane);
            if (_inFlight == 0) _drained?.TrySetResult();
            _wake.TrySetResult();
        }
        if (outcome is not null)
            work.Completion.TrySetResult(outcome);
    }

    // ---- Types -------------------------------------------------------------------------------

    internal enum Operation
    {
        Send,
        Update,
    }

    private enum ItemResult
    {
        Sent,
        AlreadySent,
        Failed,
        Unreachable,
        Cancelled,
        Updated,
        PayloadReplaced,
        InFlightElsewhere,
    }

    private sealed record ItemOutcome(ItemResult Result, int? Status, string? ErrorCode, string? Reason, int Throttles, int Retries, bool CrashRecovered, bool PossiblyDuplicated)
    {
        public static ItemOutcome Of(ItemResult result, DeliveryEntry entry) =>
            new(result, entry.LastStatus, entry.LastErrorCode, entry.Reason, 0, 0, false, false);

        public static ItemOutcome Cancelled(WorkItem work) =>
            new(ItemResult.Cancelled, null, null, "Withdrawn before it was sent.", work.Throttles, Math.Max(0, work.Attempt - 1), work.CrashRecovered, false);
    }

    /// <summary>What one attempt led to: a final outcome, or a retry after a delay.</summary>
    /// <param name="NoCall">No call was made (the tenant's shared ceiling said wait): the dispatch is not counted against the windows.</param>
    private readonly record struct Attempt(ItemOutcome? Outcome, TimeSpan Delay, bool Throttled, bool TenantWait = false, bool NoCall = false)
    {
        public static Attempt Final(ItemOutcome outcome) => new(outcome, TimeSpan.Zero, false);
        public static Attempt Retry(TimeSpan delay, bool throttled) => new(null, delay, throttled);
        public static Attempt WaitForTenant(TimeSpan delay) => new(null, delay, false, TenantWait: true, NoCall: true);
    }

    private sealed class WorkItem(Operation operation, string key, string activeKey, string tenantId, string laneId)
    {
        public Operation Operation { get; } = operation;
        public string Key { get; } = key;
        public string ActiveKey { get; } = activeKey;
        public string TenantId { get; } = tenantId;
        public string LaneId { get; } = laneId;
        public string? Replacement { get; init; }
        public bool CrashRecovered { get; init; }
        public int Attempt { get; set; }
        public int Throttles { get; set; }
        public int Waiters { get; set; } = 1;
        public DateTimeOffset DispatchedAt { get; set; }
        public ConversationLane? Lane { get; set; }
        public LinkedListNode<WorkItem>? Node { get; set; }
        public TaskCompletionSource<ItemOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class TenantLane(string id, SlidingWindowLog pacer)
    {
        public string Id { get; } = id;
        public SlidingWindowLog Pacer { get; } = pacer;
        public DateTimeOffset PausedUntil { get; set; }
        public Dictionary<string, ConversationLane> Lanes { get; } = new(StringComparer.Ordinal);
        public Queue<ConversationLane> Ready { get; } = new();
        public PriorityQueue<ConversationLane, DateTimeOffset> Waiting { get; } = new();
    }

    private sealed class ConversationLane(string id, TenantLane tenant, SlidingWindowLog windows)
    {
        public string Id { get; } = id;
        public TenantLane Tenant { get; } = tenant;
        public SlidingWindowLog Windows { get; } = windows;
        public LinkedList<WorkItem> Items { get; } = new();
        public DateTimeOffset PausedUntil { get; set; }
        public bool Busy { get; set; }
        public bool Scheduled { get; set; }
    }

    // ---- Logging -----------------------------------------------------------------------------

    [LoggerMessage(Level = LogLevel.Information, Message = "Fan-out {Kind} {Week}: {Total} messages, {Sent} sent, {AlreadySent} already sent, {Failed} failed, {Unreachable} unreachable, {Throttled} 429s waited out, {PossiblyDuplicated} possibly duplicated")]
    private static partial void LogFanOut(ILogger logger, string kind, string week, int total, int sent, int alreadySent, int failed, int unreachable, int throttled, int possiblyDuplicated);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed {Total} unfinished proactive messages: {Sent} sent, {Failed} failed, {Unreachable} unreachable; {InFlightAtCrash} were in flight when the previous process stopped, {PossiblyDuplicated} possibly duplicated")]
    private static partial void LogResumed(ILogger logger, int total, int sent, int failed, int unreachable, int inFlightAtCrash, int possiblyDuplicated);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Key} was in flight in another process ({Owner}) that stopped mid-send; sending it once more (Teams may show it twice)")]
    private static partial void LogFoundInFlight(ILogger logger, string key, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} unfinished proactive messages are older than {Window} and were not resumed; see the delivery report")]
    private static partial void LogStaleEntries(ILogger logger, int count, TimeSpan window);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch the Connector token at start; the first proactive send will try again")]
    private static partial void LogTokenWarmUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Resuming unfinished proactive messages failed")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Key} not sent ({State}): {Reason}")]
    private static partial void LogNotSent(ILogger logger, string key, DeliveryState state, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Operation} {Key} answered {Status} {ErrorCode}; retrying in {DelayMs} ms (attempt {Attempt})")]
    private static partial void LogRetrying(ILogger logger, Operation operation, string key, int status, string errorCode, double delayMs, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} {Key} gave up as {Result} after {Attempts} attempt(s): {Status} {ErrorCode} {Reason}")]
    private static partial void LogGaveUp(ILogger logger, Operation operation, string key, ItemResult result, int status, string errorCode, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {Key}: the attempt failed unexpectedly")]
    private static partial void LogAttemptCrashed(ILogger logger, string key, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The proactive delivery loop failed; carrying on")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping with {Count} proactive calls still under way; they stay in flight in the ledger and are resumed at the next start")]
    private static partial void LogAbandoned(ILogger logger, int count);
}
