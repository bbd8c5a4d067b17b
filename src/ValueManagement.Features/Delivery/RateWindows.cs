namespace ValueManagement.Features.Delivery;

/// <summary>At most <see cref="Limit"/> events in any interval of length <see cref="Span"/>.</summary>
public readonly record struct RateWindow(int Limit, TimeSpan Span);

/// <summary>Teams' documented limits for a bot (rate-limit.md), the ones proactive delivery must respect.</summary>
public static class TeamsRateLimits
{
    /// <summary>Send / create conversation, per bot per thread (one channel or chat).</summary>
    public static IReadOnlyList<RateWindow> PerConversation { get; } =
    [
        new(7, TimeSpan.FromSeconds(1)),
        new(8, TimeSpan.FromSeconds(2)),
        new(60, TimeSpan.FromSeconds(30)),
        new(1800, TimeSpan.FromHours(1)),
    ];

    /// <summary>All of an app's requests in one tenant, per second.</summary>
    public const int PerTenantPerSecond = 50;
}

/// <summary>
/// A sliding-window log over several windows at once: it remembers when each event happened (for
/// the longest window) and says when the next event may happen without any window exceeding its
/// limit. An event at <c>t</c> counts in a window at <c>now</c> while <c>now - t &lt; span</c>.
/// Not thread-safe; the caller locks. Pure: time is always passed in.
/// </summary>
public sealed class SlidingWindowLog
{
    private readonly RateWindow[] _windows;
    private readonly TimeSpan _minimumSpacing;
    private readonly TimeSpan _longest;
    private readonly List<DateTimeOffset> _events = new(capacity: 2);

    /// <param name="windows">The limits; each window's span is widened by <paramref name="margin"/>.</param>
    /// <param name="margin">Safety added to every span.</param>
    /// <param name="minimumSpacing">The least time between two events (smooths bursts).</param>
    public SlidingWindowLog(IEnumerable<RateWindow> windows, TimeSpan margin = default, TimeSpan minimumSpacing = default)
    {
        _windows = windows.Select(w => w with { Span = w.Span + margin }).OrderBy(w => w.Span).ToArray();
        if (_windows.Length == 0) throw new ArgumentException("At least one window is needed.", nameof(windows));
        if (_windows.Any(w => w.Limit < 1 || w.Span <= TimeSpan.Zero)) throw new ArgumentException("Every window needs a positive limit and span.", nameof(windows));
        _minimumSpacing = minimumSpacing;
        _longest = _windows[^1].Span;
    }

    /// <summary>The time of the latest event, if any is remembered.</summary>
    public DateTimeOffset? LastEvent => _events.Count == 0 ? null : _events[^1];

    /// <summary>Events remembered (those inside the longest window).</summary>
    public int Count => _events.Count;

    /// <summary>The earliest time, at or after <paramref name="now"/>, at which one more event keeps every window within its limit.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset now)
    {
        Prune(now);
        var next = now;
        if (_events.Count > 0 && _events[^1] + _minimumSpacing > next)
            next = _events[^1] + _minimumSpacing;

        foreach (var window in _windows)
        {
            var first = FirstIndexAfter(now - window.Span);
            var inWindow = _events.Count - first;
            if (inWindow < window.Limit) continue;
            // The oldest events must leave the window until only Limit - 1 remain.
            var mustLeave = _events[first + inWindow - window.Limit];
            var at = mustLeave + window.Span;
            if (at > next) next = at;
        }
        return next;
    }

    /// <summary>Remembers an event. Times are kept in order; a clock that steps back is treated as standing still.</summary>
    public void Record(DateTimeOffset at)
    {
        if (_events.Count > 0 && at < _events[^1]) at = _events[^1];
        _events.Add(at);
    }

    /// <summary>
    /// Takes back an event recorded at <paramref name="at"/> that did not happen after all: the first one remembered at
    /// or after that time (<see cref="Record"/> may have moved it later).
    /// </summary>
    public void Forget(DateTimeOffset at)
    {
        var index = _events.Count;
        while (index > 0 && _events[index - 1] >= at) index--;
        if (index < _events.Count) _events.RemoveAt(index);
    }

    /// <summary>Events in the half-open interval (<paramref name="from"/>, <paramref name="to"/>].</summary>
    public int CountBetween(DateTimeOffset from, DateTimeOffset to) =>
        Math.Max(0, FirstIndexAfter(to) - FirstIndexAfter(from));

    /// <summary>True when nothing has happened inside the longest window (the log can be dropped).</summary>
    public bool IsIdle(DateTimeOffset now) => _events.Count == 0 || now - _events[^1] >= _longest;

    private void Prune(DateTimeOffset now)
    {
        var keep = FirstIndexAfter(now - _longest);
        if (keep > 0) _events.RemoveRange(0, keep);
    }

    /// <summary>The index of the first event strictly later than <paramref name="time"/>.</summary>
    private int FirstIndexAfter(DateTimeOffset time)
    {
        int low = 0, high = _events.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_events[middle] > time) high = middle;
            else low = middle + 1;
        }
        return low;
    }
}
