using LiteDB;

namespace ValueManagement.Features.Delivery;

/// <summary>Where a proactive message stands in the send ledger.</summary>
public enum DeliveryState
{
    /// <summary>Recorded, not yet handed to the Connector (or handed over and refused with a retryable error).</summary>
    Pending,
    /// <summary>The HTTP call is under way. Found at start, it means the process died mid-send: Teams may or may not have the message.</summary>
    InFlight,
    /// <summary>The Connector accepted it; the activity id is kept so the card can be updated in place. Never sent again.</summary>
    Sent,
    /// <summary>Every attempt failed (or the failure was not retryable). Tried again by the next run of the fan-out.</summary>
    Failed,
    /// <summary>The conversation is gone or the bot is no longer in it. Not retried until the conversation is installed again.</summary>
    Unreachable,
}

/// <summary>
/// One row of the send ledger (collection <c>delivery_ledger</c>). The message itself lives in
/// <c>delivery_payloads</c> under the same id, so state changes rewrite only this small document.
/// </summary>
public sealed record DeliveryEntry
{
    /// <summary>The delivery key, <c>kind|team|week|destination</c>.</summary>
    [BsonId]
    public required string Id { get; init; }

    public required string Kind { get; init; }
    public required string TeamId { get; init; }
    public required string Week { get; init; }
    public required string Destination { get; init; }

    /// <summary><c>kind|week</c>, indexed for the status report.</summary>
    public required string FanOutId { get; init; }

    public string? TenantId { get; init; }
    public required string ServiceUrl { get; init; }
    public required string ConversationId { get; init; }

    public DeliveryState State { get; init; }

    /// <summary>Whether a <see cref="DeliveryState.Failed"/> entry is worth re-driving at start (the last error was transient).</summary>
    public bool Retryable { get; init; }

    /// <summary>HTTP attempts over the entry's whole life.</summary>
    public int Attempts { get; init; }

    /// <summary>429 answers received.</summary>
    public int Throttles { get; init; }

    /// <summary>Attempts that got no answer (timeout, broken connection): Teams may have the message anyway.</summary>
    public int UncertainAttempts { get; init; }

    /// <summary>Times the entry was found <see cref="DeliveryState.InFlight"/> at start, after a crash, and sent again.</summary>
    public int InFlightAtCrash { get; init; }

    /// <summary>Sent after a crash mid-send or an unanswered attempt: Teams may show it twice (it has no idempotency key).</summary>
    public bool PossiblyDuplicated { get; init; }

    public int? LastStatus { get; init; }
    public string? LastErrorCode { get; init; }

    /// <summary>Why it failed or is unreachable; for a sent entry, the last retried error.</summary>
    public string? Reason { get; init; }

    /// <summary>The sending process while <see cref="DeliveryState.InFlight"/>.</summary>
    public string? Owner { get; init; }

    /// <summary>The id Teams gave the posted activity, and the conversation it is in: what an update in place needs.</summary>
    public string? ActivityId { get; init; }
    public string? SentConversationId { get; init; }

    /// <summary>The stored message was replaced by <c>UpdateAsync</c>: a later fan-out run keeps it rather than re-rendering.</summary>
    public bool PayloadReplaced { get; init; }

    public int Updates { get; init; }
    public DateTimeOffset? LastUpdatedAt { get; init; }
    public string? LastUpdateError { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }

    [BsonIgnore]
    public DeliveryKey Key => DeliveryKey.Parse(Id);
}

/// <summary>The activity JSON to send for a ledger entry (collection <c>delivery_payloads</c>).</summary>
internal sealed record DeliveryPayload
{
    [BsonId]
    public required string Id { get; init; }
    public required string Json { get; init; }
}

/// <summary>One fan-out (kind + week) and when it was run (collection <c>delivery_fanouts</c>).</summary>
public sealed record DeliveryFanOutRecord
{
    [BsonId]
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Week { get; init; }
    public DateTimeOffset FirstRunAt { get; init; }
    public DateTimeOffset LastRunAt { get; init; }
    public int Runs { get; init; }
}
