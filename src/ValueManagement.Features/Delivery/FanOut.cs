using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Delivery;

/// <summary>
/// One message of a fan-out: its ledger key, where it goes, the tenant it is paced in, and the
/// activity. The factory runs only when the message is actually (re)sent, so a re-run over keys that
/// are already sent renders nothing.
/// </summary>
public sealed record DeliveryItem(DeliveryKey Key, ConversationTarget Target, string? TenantId, Func<Activity> CreateActivity)
{
    public DeliveryItem(DeliveryKey key, ConversationTarget target, string? tenantId, Activity activity)
        : this(key, target, tenantId, () => activity)
    {
    }

    /// <summary>An earlier attempt outside the queue got no answer (a turn's reply that timed out): Teams may show it twice.</summary>
    public bool MayHaveArrivedBefore { get; init; }
}

/// <summary>A batch of proactive messages of one kind for one week (for example the Monday prompt).</summary>
public sealed record FanOut(string Kind, string Week, IEnumerable<DeliveryItem> Items);

/// <summary>What one run of a fan-out (or of the start-up resume) did.</summary>
public sealed record FanOutResult
{
    /// <summary>The fan-out's kind and week; null for <see cref="ProactiveSender.ResumeUnfinishedAsync"/>, which spans fan-outs.</summary>
    public string? Kind { get; init; }
    public string? Week { get; init; }

    /// <summary>Messages considered.</summary>
    public int Total { get; init; }

    /// <summary>Sent in this run.</summary>
    public int Sent { get; init; }

    /// <summary>Already sent by an earlier run: skipped.</summary>
    public int AlreadySent { get; init; }

    /// <summary>Failed after the last attempt (kept in the ledger, tried again on the next run).</summary>
    public int Failed { get; init; }

    /// <summary>Conversation gone or bot removed (now or in an earlier run, and not reinstalled since).</summary>
    public int Unreachable { get; init; }

    /// <summary>Withdrawn before being sent because the run was cancelled or the sender stopped; still pending in the ledger.</summary>
    public int Cancelled { get; init; }

    /// <summary>Being sent by another instance sharing the database (it settles them); a later run sees how they went.</summary>
    public int InFlightElsewhere { get; init; }

    /// <summary>429 answers met (each one was waited out).</summary>
    public int Throttled { get; init; }

    /// <summary>Attempts beyond each message's first.</summary>
    public int Retries { get; init; }

    /// <summary>Messages found in flight from a previous process (it died mid-send) and sent again.</summary>
    public int InFlightAtCrash { get; init; }

    /// <summary>Messages sent in this run that Teams may show twice (see <see cref="DeliveryEntry.PossiblyDuplicated"/>).</summary>
    public int PossiblyDuplicated { get; init; }

    public IReadOnlyList<DeliveryFailure> Failures { get; init; } = [];

    /// <summary>From the first message recorded to the last outcome, on the sender's clock.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>A message that did not go, and why.</summary>
public sealed record DeliveryFailure(string Key, DeliveryState State, int? Status, string? ErrorCode, string Reason);

public enum UpdateOutcome
{
    /// <summary>The posted card was replaced in place.</summary>
    Updated,
    /// <summary>Not posted yet (pending or failed): the stored message was replaced, so the replacement is what will be posted.</summary>
    PayloadReplaced,
    /// <summary>The conversation is gone; nothing to update.</summary>
    Unreachable,
    /// <summary>The update was refused or every attempt failed (for example the message was deleted).</summary>
    Failed,
    /// <summary>No such key in the ledger.</summary>
    NotFound,
}

public sealed record UpdateResult(string Key, UpdateOutcome Outcome, string? Reason = null);
