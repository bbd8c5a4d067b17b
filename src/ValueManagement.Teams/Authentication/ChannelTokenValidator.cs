using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Authentication;

public sealed record ChannelTokenValidationResult(bool IsValid, string? Failure)
{
    public static readonly ChannelTokenValidationResult Valid = new(true, null);
    public static ChannelTokenValidationResult Invalid(string failure) => new(false, failure);
}

/// <summary>
/// Checks the Bearer token on a request from the Bot Connector, rule by rule from the Bot Framework
/// authentication documentation: scheme, issuer, audience, lifetime with 5 minutes of skew, an RS
/// signature from the cached metadata keys, the <c>serviceurl</c> claim and the key's endorsements.
/// </summary>
public sealed partial class ChannelTokenValidator
{
    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly BotSigningKeyCache _signingKeys;
    private readonly IOptionsMonitor<BotAuthenticationOptions> _options;
    private readonly ILogger<ChannelTokenValidator> _logger;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    public ChannelTokenValidator(
        BotSigningKeyCache signingKeys,
        IOptionsMonitor<BotAuthenticationOptions> options,
        ILogger<ChannelTokenValidator> logger)
    {
        _signingKeys = signingKeys;
        _options = options;
        _logger = logger;
    }

    public async Task<ChannelTokenValidationResult> ValidateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(authorizationHeader))
            return ChannelTokenValidationResult.Invalid("no Authorization header");

        var parts = authorizationHeader.Split(' ', StringSplitOptions.None);
        if (parts.Length != 2 || parts[0] != "Bearer" || parts[1].Length == 0)
            return ChannelTokenValidationResult.Invalid("the Authorization header is not 'Bearer <token>'");

        var options = _options.CurrentValue;
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(parts[1]);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException)
        {
            return ChannelTokenValidationResult.Invalid("the token is not a well-formed JWT");
        }

        // Read the issuer before fetching keys: there is no point refreshing keys for a stranger.
        if (!string.Equals(token.Issuer, options.ToBotFromChannelTokenIssuer, StringComparison.Ordinal))
            return ChannelTokenValidationResult.Invalid("the token was not issued by the Bot Framework");

        if (!AllowedAlgorithms.Contains(token.Alg, StringComparer.Ordinal))
            return ChannelTokenValidationResult.Invalid($"signing algorithm '{token.Alg}' is not allowed");

        var configuration = await _signingKeys.GetAsync(cancellationToken).ConfigureAwait(false);
        var result = await ValidateSignatureAndClaimsAsync(token, configuration, options).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Keys roll over: re-read them (at most every 5 minutes) and try once more.
            configuration = await _signingKeys.RefreshForUnknownKeyAsync(cancellationToken).ConfigureAwait(false);
            result = await ValidateSignatureAndClaimsAsync(token, configuration, options).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            LogRejected(_logger, result.Exception?.GetType().Name ?? "unknown");
            return ChannelTokenValidationResult.Invalid(Describe(result.Exception));
        }

        if (!string.IsNullOrEmpty(activity.ChannelId))
        {
            if (!configuration.Endorsements.TryGetValue(token.Kid ?? string.Empty, out var endorsed) || !endorsed.Contains(activity.ChannelId))
                return ChannelTokenValidationResult.Invalid($"the signing key is not endorsed for channel '{activity.ChannelId}'");
        }

        var serviceUrlClaim = token.TryGetPayloadValue<string>(ServiceUrlClaim, out var claimed) ? claimed : null;
        if (string.IsNullOrEmpty(serviceUrlClaim))
            return ChannelTokenValidationResult.Invalid("the token has no serviceurl claim");
        if (!string.Equals(serviceUrlClaim, activity.ServiceUrl, StringComparison.OrdinalIgnoreCase))
            return ChannelTokenValidationResult.Invalid("the serviceurl claim does not match the activity's serviceUrl");

        return ChannelTokenValidationResult.Valid;
    }

    public const string ServiceUrlClaim = "serviceurl";

    private Task<TokenValidationResult> ValidateSignatureAndClaimsAsync(JsonWebToken token, BotSigningConfiguration configuration, BotAuthenticationOptions options)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = options.ToBotFromChannelTokenIssuer,
            ValidAudience = options.MicrosoftAppId,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = AllowedAlgorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            TryAllIssuerSigningKeys = false,
            ClockSkew = TimeSpan.FromMinutes(5),
        };
        return _handler.ValidateTokenAsync(token, parameters);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidAudienceException => "the token is for another app",
        SecurityTokenInvalidIssuerException => "the token was not issued by the Bot Framework",
        SecurityTokenSignatureKeyNotFoundException => "the token was signed with an unknown key",
        SecurityTokenInvalidSignatureException => "the token's signature is invalid",
        SecurityTokenNoExpirationException => "the token has no expiry",
        SecurityTokenInvalidAlgorithmException => "the token's signing algorithm is not allowed",
        null => "the token is invalid",
        _ => "the token is invalid",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a Bot Connector token: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
