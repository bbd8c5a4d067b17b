using System.ComponentModel.DataAnnotations;

namespace ValueManagement.Teams.Connector;

/// <summary>Outbound Connector behaviour (<c>Bot:Connector</c>).</summary>
public sealed class ConnectorOptions
{
    /// <summary>Attempts for a retryable failure (429, 412, 5xx) inside one call, the first included.</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The first back-off delay; doubles each attempt, with ±20% jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(20);

    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
