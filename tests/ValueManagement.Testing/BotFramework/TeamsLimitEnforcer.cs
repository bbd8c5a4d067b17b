using System.Collections.Concurrent;

namespace ValueManagement.Testing.BotFramework;

/// <summary>The limits a <see cref="TeamsLimitEnforcer"/> applies; the defaults are Teams' documented ones (rate-limit.md).</summary>
public sealed record TeamsLimitSettings
{
    /// <summary>Send / create conversation per bot per thread: 7 per 1 s, 8 per 2 s, 60 per 30 s, 1800 per hour.</summary>
    public IReadOnlyList<(int Limit, TimeSpan Window)> PerConversation { get; init; } =
    [
        (7, TimeSpan.FromSeconds(1)),
        (8, TimeSpan.FromSeconds(2)),
        (60, TimeSpan.FromSeconds(30)),
        (1800, TimeSpan.FromHours(1)),
    ];

    /// <summary>Requests per app per tenant in any one-second window.</summary>
    public int PerTenantPerSecond { get; init; } = 50;
}

/// <summary>What the enforcer decided for one request.</summary>
public readonly record struct LimitDecision(bool Admitted, TimeSpan RetryAfter, string? Scope);

/// <summary>
/// Teams' rate limits, enforced the way a strict Connector would: sliding windows per conversation
/// (thread, without a <c>;messageid=</c> suffix) and per tenant. A request over any limit is refused
/// with the time until it would have been admitted (rounded up to whole seconds, at least one, as
/// Retry-After carries seconds). Refused requests do not count against the windows. Counts what it
/// admitted and refused, and when. Thread-safe.
/// </summary>
public sealed class TeamsLimitEnforcer(TeamsLimitSettings? settings = null, TimeProvider? time = null)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<DateTimeOffset>> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DateTimeOffset>> _tenants = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string ConversationId, DateTimeOffset At)> _admitted = new();
    private int _throttled;
    private int _throttledByConversation;
    private int _throttledByTenant;

    public TeamsLimitSettings Settings { get; } = settings ?? new TeamsLimitSettings();
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    public int Admitted => _admitted.Count;
    public int Throttled => Volatile.Read(ref _throttled);
    public int ThrottledByConversation => Volatile.Read(ref _throttledByConversation);
    public int ThrottledByTenant => Volatile.Read(ref _throttledByTenant);

    /// <summary>Every admitted request: its conversation (thread) and when.</summary>
    public IReadOnlyList<(string ConversationId, DateTimeOffset At)> AdmittedRequests => _admitted.ToList();

    public LimitDecision TryAdmit(string tenantId, string conversationId)
    {
        var now = Time.GetUtcNow();
        var thread = conversationId.Split(';')[0];
        lock (_gate)
        {
            var conversation = Events(_conversations, thread);
            var tenant = Events(_tenants, tenantId);
            var wait = TimeSpan.Zero;
            string? scope = null;
            foreach (var (limit, window) in Settings.PerConversation)
            {
                var until = WaitFor(conversation, limit, window, now);
                if (until > wait) (wait, scope) = (until, "conversation");
            }
            var tenantWait = WaitFor(tenant, Settings.PerTenantPerSecond, TimeSpan.FromSeconds(1), now);
            if (tenantWait > wait) (wait, scope) = (tenantWait, "tenant");

            if (wait > TimeSpan.Zero)
            {
                Interlocked.Increment(ref _throttled);
                if (scope == "tenant") Interlocked.Increment(ref _throttledByTenant);
                else Interlocked.Increment(ref _throttledByConversation);
                return new LimitDecision(false, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait.TotalSeconds))), scope);
            }

            conversation.Add(now);
            tenant.Add(now);
            Prune(conversation, now, Settings.PerConversation.Max(w => w.Window));
            Prune(tenant, now, TimeSpan.FromSeconds(1));
            _admitted.Enqueue((thread, now));
            return new LimitDecision(true, TimeSpan.Zero, null);
        }
    }

    /// <summary>The most requests admitted to one conversation inside any half-open window of the given length.</summary>
    public int MaxInAnyWindow(string conversationId, TimeSpan window) =>
        MaxInAnyWindow(AdmittedRequests.Where(r => r.ConversationId == conversationId.Split(';')[0]).Select(r => r.At), window);

    /// <summary>The most of the given times inside any half-open window [t, t + length).</summary>
    public static int MaxInAnyWindow(IEnumerable<DateTimeOffset> times, TimeSpan window)
    {
        var sorted = times.Order().ToList();
        var max = 0;
        var start = 0;
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= window) start++;
            max = Math.Max(max, end - start + 1);
        }
        return max;
    }

    private static List<DateTimeOffset> Events(Dictionary<string, List<DateTimeOffset>> all, string key)
    {
        if (!all.TryGetValue(key, out var list))
        {
            list = [];
            all.Add(key, list);
        }
        return list;
    }

    /// <summary>How long until one more event keeps the window within its limit (events in (now - window, now] count).</summary>
    private static TimeSpan WaitFor(List<DateTimeOffset> events, int limit, TimeSpan window, DateTimeOffset now)
    {
        var inWindow = events.Where(e => now - e < window).ToList();
        if (inWindow.Count < limit) return TimeSpan.Zero;
        return inWindow[inWindow.Count - limit] + window - now;
    }

    private static void Prune(List<DateTimeOffset> events, DateTimeOffset now, TimeSpan longest)
    {
        var keep = events.FindIndex(e => now - e < longest);
        if (keep > 0) events.RemoveRange(0, keep);
        else if (keep < 0) events.Clear();
    }
}
