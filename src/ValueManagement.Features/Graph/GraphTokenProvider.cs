using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions.Authentication;

namespace ValueManagement.Features.Graph;

/// <summary>App-only Graph tokens through MSAL (client credentials), sent only to the configured Graph host.</summary>
public sealed class GraphTokenProvider : IAccessTokenProvider
{
    public const string IdentityClientName = "graph-identity";

    private readonly GraphOptions _options;
    private readonly Lazy<IConfidentialClientApplication> _application;

    public GraphTokenProvider(IOptions<GraphOptions> options, IHttpClientFactory httpClientFactory)
    {
        _options = options.Value;
        AllowedHostsValidator = new AllowedHostsValidator([new Uri(_options.BaseUrl).Host]);
        _application = new Lazy<IConfidentialClientApplication>(() =>
        {
            var builder = ConfidentialClientApplicationBuilder
                .Create(_options.ClientId)
                .WithAuthority(_options.Authority, _options.ValidateAuthority)
                .WithInstanceDiscovery(_options.ValidateAuthority)
                .WithHttpClientFactory(new MsalHttp(httpClientFactory));
            builder = string.IsNullOrWhiteSpace(_options.CertificatePath)
                ? builder.WithClientSecret(_options.ClientSecret)
                : builder.WithCertificate(X509CertificateLoader.LoadPkcs12FromFile(_options.CertificatePath, _options.CertificatePassword));
            return builder.Build();
        });
    }

    public AllowedHostsValidator AllowedHostsValidator { get; }

    public async Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default)
    {
        if (!AllowedHostsValidator.IsUrlHostValid(uri)) return string.Empty;
        var result = await _application.Value
            .AcquireTokenForClient([_options.Scope.TrimEnd('/') + "/.default"])
            .ExecuteAsync(cancellationToken)
            .ConfigureAwait(false);
        return result.AccessToken;
    }

    private sealed class MsalHttp(IHttpClientFactory factory) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => factory.CreateClient(IdentityClientName);
    }
}
