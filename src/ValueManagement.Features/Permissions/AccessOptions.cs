using System.ComponentModel.DataAnnotations;

namespace ValueManagement.Features.Permissions;

/// <summary>Who administers the bot, and what a team's Microsoft 365 group grants (<c>Access</c> section).</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>Entra object ids of the bot's administrators.</summary>
    public List<string> AdminObjectIds { get; set; } = [];

    /// <summary>
    /// Members (and owners) of a linked team's Microsoft 365 group may submit for that team without a stored
    /// role. Unset means on whenever Microsoft Graph is configured.
    /// </summary>
    public bool? TeamMembershipFromGroups { get; set; }

    /// <summary>How long a group's members and owners, once read from Graph, are trusted before they are read again.</summary>
    [Range(1, 24 * 60)]
    public int MembershipCacheMinutes { get; set; } = 10;

    /// <summary>How long a turn waits for Graph's answer (retries included) before it goes on with stored roles only.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan MembershipLookupTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Owners of a linked team's group get the manager's rights for that team (read its box scores and report-outs).</summary>
    public bool TeamOwnersAreManagers { get; set; }
}
