using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Identity.Client;

namespace ValueManagement.Teams.Authentication;

/// <summary>
/// The bot could not get its Connector token (the token endpoint refused its credentials, failed or
/// could not be reached). <see cref="Advice"/> says what to fix, for the log; it never holds a secret.
/// </summary>
public sealed partial class ConnectorTokenUnavailableException : Exception
{
    public ConnectorTokenUnavailableException(string advice, int? status, string? entraCode, Exception inner)
        : base("The bot cannot get its Connector token: " + advice, inner)
    {
        Advice = advice;
        Status = status;
        EntraCode = entraCode;
    }

    public string Advice { get; }

    /// <summary>The token endpoint's HTTP status, when it answered.</summary>
    public int? Status { get; }

    /// <summary>The Microsoft Entra error (<c>AADSTS7000215</c>...), when it gave one.</summary>
    public string? EntraCode { get; }

    /// <summary>Whether the credentials themselves are at fault (an operator must fix the settings), rather than the endpoint.</summary>
    public bool CredentialsRefused => Status is >= 400 and < 500 and not 408 and not 429;

    /// <summary>Names the failure of a token request (an MSAL or network exception) and what to do about it.</summary>
    public static ConnectorTokenUnavailableException From(Exception exception, string authority)
    {
        var status = exception is MsalServiceException service && service.StatusCode > 0 ? service.StatusCode : (int?)null;
        var code = EntraCodePattern().Match(exception.Message) is { Success: true } match ? match.Value : null;
        var advice = code switch
        {
            "AADSTS7000215" => "the bot's client secret is wrong or has expired (AADSTS7000215): renew MicrosoftAppPassword in the app registration and set its value (not its id)",
            "AADSTS7000222" => "the bot's client secret has expired (AADSTS7000222): create a new one in the app registration and set MicrosoftAppPassword",
            "AADSTS700016" => "Microsoft Entra does not know the app id in this tenant (AADSTS700016): check MicrosoftAppId, MicrosoftAppType and MicrosoftAppTenantId",
            "AADSTS90002" or "AADSTS900023" => $"Microsoft Entra does not know the tenant ({code}): check MicrosoftAppTenantId and MicrosoftAppType",
            _ when status is >= 500 or 429 or 408 => $"the token endpoint {authority} answered {status} (Microsoft Entra is unavailable); Teams retries, and so does the bot",
            _ when status is not null => $"the token endpoint {authority} refused the bot's credentials ({status} {code ?? (exception as MsalServiceException)?.ErrorCode}): check MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppType",
            _ when exception is HttpRequestException or TaskCanceledException or MsalServiceException { StatusCode: 0 } =>
                $"the token endpoint {authority} could not be reached: check the network path (DNS, proxy, firewall) to it",
            _ => $"the token request failed ({(exception as MsalException)?.ErrorCode ?? exception.GetType().Name}): check MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppType",
        };
        return new ConnectorTokenUnavailableException(advice, status, code, exception);
    }

    /// <summary>Whether a token request failed in a way <see cref="From"/> can name (not a bug in the bot).</summary>
    public static bool IsTokenFailure(Exception exception) =>
        exception is MsalException or HttpRequestException;

    [GeneratedRegex(@"AADSTS\d+")]
    private static partial Regex EntraCodePattern();
}
