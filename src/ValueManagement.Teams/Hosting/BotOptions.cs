using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ValueManagement.Teams.Hosting;

/// <summary>How the bot endpoint behaves (<c>Bot</c> section).</summary>
public sealed class BotOptions
{
    public const string SectionName = "Bot";

    /// <summary>
    /// Accept requests without a token from a loopback address, for Microsoft 365 Agents Playground.
    /// Development only; the host refuses to start with it on anywhere else.
    /// </summary>
    public bool AllowUnauthenticatedLocalRequests { get; set; }

    /// <summary>Tenants whose activities are accepted. Empty: every tenant.</summary>
    public List<string> AllowedTenants { get; set; } = [];

    /// <summary>
    /// The channels whose activities are served (the activity's <c>channelId</c>). Teams and Agents
    /// Playground (run with <c>-c msteams</c>) say <c>msteams</c>; Web Chat, Direct Line and the rest are refused.
    /// </summary>
    [MinLength(1)]
    public List<string> AllowedChannels { get; set; } = ["msteams"];

    /// <summary>
    /// How long a turn's replies may take in all, retries included. Teams waits about 15 s for the
    /// answer; a reply that would take longer (a long Retry-After, a hanging Connector) is handed to
    /// the delivery queue and sent afterwards, once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:00:14")]
    public TimeSpan TurnReplyBudget { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connector hosts the bot sends its token to (a host or a parent domain).</summary>
    [MinLength(1)]
    public List<string> TrustedServiceUrlHosts { get; set; } =
        ["smba.trafficmanager.net", "smba.infra.gcc.teams.microsoft.com", "smba.infra.gov.teams.microsoft.us"];

    [Range(16 * 1024, 16 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>How long an activity id is remembered, so that a turn Teams re-sends is processed once.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromHours(24);
}

public sealed class BotOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotOptions>
{
    public ValidateOptionsResult Validate(string? name, BotOptions options)
    {
        if (options.AllowUnauthenticatedLocalRequests && !environment.IsDevelopment())
        {
            return ValidateOptionsResult.Fail(
                $"Bot:AllowUnauthenticatedLocalRequests is on in the '{environment.EnvironmentName}' environment. It is for local development with Agents Playground only: turn it off, or run with ASPNETCORE_ENVIRONMENT=Development.");
        }
        return ValidateOptionsResult.Success;
    }
}
