using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Identity.Client.AppConfig;

namespace ValueManagement.Teams.Authentication;

/// <summary>Gets the bearer token the bot sends to the Bot Connector.</summary>
public interface IConnectorTokenProvider
{
    /// <summary>The access token, or null when the bot runs without an app id (local development).</summary>
    /// <exception cref="ConnectorTokenUnavailableException">The token endpoint refused, failed or could not be reached.</exception>
    Task<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}

/// <summary>
/// Client-credentials tokens through MSAL, for the configured app type: a secret against the
/// <c>botframework.com</c> tenant (multi-tenant) or the bot's own tenant (single-tenant), or a
/// user-assigned managed identity. MSAL caches the token and renews it before it expires.
/// </summary>
public sealed class MsalConnectorTokenProvider : IConnectorTokenProvider
{
    private readonly BotAuthenticationOptions _options;
    private readonly Lazy<IConfidentialClientApplication>? _confidential;
    private readonly Lazy<IManagedIdentityApplication>? _managedIdentity;
    private readonly SemaphoreSlim _acquiring = new(1, 1);

    public MsalConnectorTokenProvider(IOptions<BotAuthenticationOptions> options, IHttpClientFactory httpClientFactory)
    {
        _options = options.Value;
        if (!_options.HasAppId) return;

        var msalHttp = new MsalHttpClientFactory(httpClientFactory);
        if (_options.MicrosoftAppType == BotAppType.UserAssignedMSI)
        {
            _managedIdentity = new Lazy<IManagedIdentityApplication>(() => ManagedIdentityApplicationBuilder
                .Create(ManagedIdentityId.WithUserAssignedClientId(_options.MicrosoftAppId!))
                .WithHttpClientFactory(msalHttp)
                .Build());
        }
        else
        {
            _confidential = new Lazy<IConfidentialClientApplication>(() => ConfidentialClientApplicationBuilder
                .Create(_options.MicrosoftAppId)
                .WithClientSecret(_options.MicrosoftAppPassword)
                .WithAuthority(_options.LoginAuthority, _options.ValidateAuthority)
                .WithInstanceDiscovery(_options.ValidateAuthority)
                .WithHttpClientFactory(msalHttp)
                .Build());
        }
    }

    public async Task<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        if (_confidential is null && _managedIdentity is null) return null;
        // One request at a time: callers that arrive together (the start-up warm-up, the first turn's
        // check, a fan-out's first sends) wait for the first and then find the token in MSAL's cache,
        // rather than each asking the token endpoint.
        await _acquiring.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AcquireAsync(forceRefresh, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ConnectorTokenUnavailableException.IsTokenFailure(e)
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw ConnectorTokenUnavailableException.From(e, _managedIdentity is not null ? "(managed identity)" : _options.LoginAuthority);
        }
        finally
        {
            _acquiring.Release();
        }
    }

    private async Task<string?> AcquireAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var scope = _options.ToChannelFromBotOAuthScope.TrimEnd('/');
        if (_confidential is not null)
        {
            var result = await _confidential.Value
                .AcquireTokenForClient([scope + "/.default"])
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
            return result.AccessToken;
        }

        if (_managedIdentity is not null)
        {
            var result = await _managedIdentity.Value
                .AcquireTokenForManagedIdentity(scope)
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken)
                .ConfigureAwait(false);
            return result.AccessToken;
        }

        return null;
    }

    private sealed class MsalHttpClientFactory(IHttpClientFactory factory) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => factory.CreateClient(HttpClientNames.Identity);
    }
}

public static class HttpClientNames
{
    public const string Identity = "identity";
    public const string Connector = "connector";
    public const string OpenIdMetadata = "openid-metadata";
}
