using System.ComponentModel.DataAnnotations;

namespace ValueManagement.Features.Delivery;

/// <summary>Proactive delivery: pacing and retries (<c>Bot:Delivery</c>).</summary>
public sealed class DeliveryOptions : IValidatableObject
{
    public const string SectionName = "Bot:Delivery";

    /// <summary>
    /// The ceiling on proactive messages per second to one tenant, over any one-second window.
    /// Teams allows 50 per app per tenant; the default keeps well under it.
    /// </summary>
    [Range(1, 50)]
    public int TenantMessagesPerSecond { get; set; } = 30;

    /// <summary>Attempts per message in one run, the first included, for retryable failures (429, 412, 5xx, no answer).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off delay when there is no Retry-After; doubles each attempt, ±20% jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest back-off delay (a Retry-After from Teams is honoured as given).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Connector calls under way at once, over all tenants.</summary>
    [Range(1, 256)]
    public int MaxConcurrentSends { get; set; } = 16;

    /// <summary>
    /// Added to each per-conversation window (7 per 1 s, 8 per 2 s, 60 per 30 s, 1800 per hour), so
    /// that network jitter between our clock and Teams' cannot squeeze two bursts into one window.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan ConversationWindowMargin { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Re-drive unfinished entries (pending, in flight at a crash, failed with a transient error) when the bot starts.</summary>
    public bool ResumeOnStart { get; set; } = true;

    /// <summary>Unfinished entries older than this are left for the report rather than sent late at start.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan ResumeWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// With several instances on one database (PostgreSQL): how long a message in flight under another
    /// instance is left to it. An attempt older than this is taken to belong to an instance that died
    /// mid-send, and is sent again (possibly duplicated). Far longer than one Connector call.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan InFlightLease { get; set; } = TimeSpan.FromMinutes(3);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxDelay < BaseDelay)
            yield return new ValidationResult($"Bot:Delivery:MaxDelay ({MaxDelay}) is shorter than BaseDelay ({BaseDelay}).", [nameof(MaxDelay), nameof(BaseDelay)]);
    }
}
