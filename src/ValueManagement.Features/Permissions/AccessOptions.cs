namespace ValueManagement.Features.Permissions;

/// <summary>Who administers the bot (<c>Access</c> section). Admins can grant every other role.</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Access";

    /// <summary>Entra object ids of the bot's administrators.</summary>
    public List<string> AdminObjectIds { get; set; } = [];
}
