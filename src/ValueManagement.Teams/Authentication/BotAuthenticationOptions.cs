using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ValueManagement.Teams.Authentication;

/// <summary>
/// The bot's identity and the Bot Framework endpoints, under the same root-level configuration keys
/// as the Bot Framework SDK (<c>MicrosoftAppId</c>, <c>MicrosoftAppPassword</c>, ...), so that
/// settings written for an SDK bot work unchanged.
/// </summary>
public sealed class BotAuthenticationOptions
{
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";
    public const string DefaultTokenIssuer = "https://api.botframework.com";
    public const string DefaultLoginAuthority = "https://login.microsoftonline.com/botframework.com";
    public const string DefaultOAuthScope = "https://api.botframework.com";

    public string? MicrosoftAppId { get; set; }
    public string? MicrosoftAppPassword { get; set; }
    public string? MicrosoftAppTenantId { get; set; }
    public BotAppType MicrosoftAppType { get; set; } = BotAppType.MultiTenant;

    public string ToBotFromChannelOpenIdMetadataUrl { get; set; } = DefaultOpenIdMetadataUrl;
    public string ToBotFromChannelTokenIssuer { get; set; } = DefaultTokenIssuer;

    /// <summary>The whole authority, tenant included. Empty: derived from the app type and tenant.</summary>
    public string? ToChannelFromBotLoginUrl { get; set; }
    public string ToChannelFromBotOAuthScope { get; set; } = DefaultOAuthScope;
    public bool ValidateAuthority { get; set; } = true;

    public bool HasAppId => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    public string LoginAuthority => !string.IsNullOrWhiteSpace(ToChannelFromBotLoginUrl)
        ? ToChannelFromBotLoginUrl.TrimEnd('/')
        : MicrosoftAppType == BotAppType.MultiTenant
            ? DefaultLoginAuthority
            : $"https://login.microsoftonline.com/{MicrosoftAppTenantId}";
}

public enum BotAppType
{
    MultiTenant,
    SingleTenant,
    UserAssignedMSI,
}

/// <summary>Refuses to start with settings that would make the bot insecure or unable to answer.</summary>
public sealed class BotAuthenticationOptionsValidator(IHostEnvironment environment) : IValidateOptions<BotAuthenticationOptions>
{
    public ValidateOptionsResult Validate(string? name, BotAuthenticationOptions options)
    {
        var failures = new List<string>();
        if (!options.HasAppId)
        {
            if (!environment.IsDevelopment())
            {
                failures.Add($"MicrosoftAppId is required outside Development (environment is '{environment.EnvironmentName}'). Set it to the Azure Bot's Microsoft App ID.");
            }
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (!Guid.TryParse(options.MicrosoftAppId, out _))
        {
            failures.Add("MicrosoftAppId must be the app registration's client id (a GUID).");
        }

        switch (options.MicrosoftAppType)
        {
            case BotAppType.MultiTenant when string.IsNullOrWhiteSpace(options.MicrosoftAppPassword):
                failures.Add("MicrosoftAppPassword is required when MicrosoftAppType is MultiTenant.");
                break;
            case BotAppType.SingleTenant:
                if (string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
                    failures.Add("MicrosoftAppPassword is required when MicrosoftAppType is SingleTenant.");
                if (string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
                    failures.Add("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant (AADSTS700016 otherwise).");
                break;
            case BotAppType.UserAssignedMSI:
                if (string.IsNullOrWhiteSpace(options.MicrosoftAppTenantId))
                    failures.Add("MicrosoftAppTenantId is required when MicrosoftAppType is UserAssignedMSI.");
                if (!string.IsNullOrWhiteSpace(options.MicrosoftAppPassword))
                    failures.Add("MicrosoftAppPassword must be empty when MicrosoftAppType is UserAssignedMSI: the managed identity has no secret.");
                break;
        }

        foreach (var (key, value) in new[]
                 {
                     (nameof(options.ToBotFromChannelOpenIdMetadataUrl), options.ToBotFromChannelOpenIdMetadataUrl),
                     (nameof(options.ToChannelFromBotLoginUrl), options.LoginAuthority),
                 })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                failures.Add($"{key} must be an absolute https URL.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
