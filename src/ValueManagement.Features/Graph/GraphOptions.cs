using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Graph;

/// <summary>
/// Microsoft Graph with app-only credentials (<c>Graph</c> section). Graph is on when
/// <see cref="TenantId"/> is set; without it people are named by @mention or object id only and
/// the bot is not installed for data leads.
/// </summary>
public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    /// <summary>The organisation's Entra tenant id (or its primary domain).</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration's client id; defaults to <c>MicrosoftAppId</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>A client secret; defaults to <c>MicrosoftAppPassword</c> when no certificate is given.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A PFX file holding the certificate and private key, instead of a secret.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Where Entra issues tokens; the tenant id is appended.</summary>
    public string AuthorityHost { get; set; } = "https://login.microsoftonline.com";

    /// <summary>Let MSAL validate the authority (off only for a private test authority).</summary>
    public bool ValidateAuthority { get; set; } = true;

    /// <summary>Graph's address, version included.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>The resource tokens are asked for (<c>{Scope}/.default</c>).</summary>
    public string Scope { get; set; } = "https://graph.microsoft.com";

    /// <summary>The app's id in the organisation's Teams app catalog; looked up by <see cref="ManifestId"/> when missing.</summary>
    public string? TeamsAppId { get; set; }

    /// <summary>The <c>id</c> in the app's manifest (its external id in the catalog); defaults to the client id.</summary>
    public string? ManifestId { get; set; }

    /// <summary>Tries per Graph call when Graph answers 429, 503 or 504.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The longest wait between tries, whatever Retry-After asks for.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool Enabled => !string.IsNullOrWhiteSpace(TenantId);

    public string Authority => AuthorityHost.TrimEnd('/') + "/" + TenantId;
}

/// <summary>Checks the Graph settings at start, saying which key is wrong.</summary>
public sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        var failures = new List<string>();
        if (!IsHttps(options.BaseUrl)) failures.Add("Graph:BaseUrl must be an absolute https address, e.g. https://graph.microsoft.com/v1.0.");
        if (options.MaxAttempts is < 1 or > 10) failures.Add("Graph:MaxAttempts must be between 1 and 10.");
        if (options.MaxRetryDelay < TimeSpan.Zero || options.MaxRetryDelay > TimeSpan.FromMinutes(5)) failures.Add("Graph:MaxRetryDelay must be between 0 and 5 minutes.");
        if (options.Timeout <= TimeSpan.Zero) failures.Add("Graph:Timeout must be positive.");
        if (options.Enabled)
        {
            if (string.IsNullOrWhiteSpace(options.ClientId)) failures.Add("Graph:ClientId (or MicrosoftAppId) is required when Graph:TenantId is set.");
            if (!IsHttps(options.AuthorityHost)) failures.Add("Graph:AuthorityHost must be an absolute https address.");
            var hasSecret = !string.IsNullOrWhiteSpace(options.ClientSecret);
            var hasCertificate = !string.IsNullOrWhiteSpace(options.CertificatePath);
            if (!hasSecret && !hasCertificate) failures.Add("Graph needs Graph:ClientSecret (or MicrosoftAppPassword) or Graph:CertificatePath.");
            if (hasCertificate && !File.Exists(options.CertificatePath)) failures.Add($"Graph:CertificatePath '{options.CertificatePath}' does not exist.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttps(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;
}
