using System.Net;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions;

namespace ValueManagement.Features.Graph;

/// <summary>
/// Turns what went wrong in a Graph call into words for the admin or coach who asked: which
/// permission is missing, that the person does not exist, that Graph is busy. Never a stack trace.
/// </summary>
public static class GraphFailures
{
    public static string Describe(Exception exception, string permission) => exception switch
    {
        ODataError { ResponseStatusCode: (int)HttpStatusCode.Forbidden } or ApiException { ResponseStatusCode: (int)HttpStatusCode.Forbidden } =>
            $"Microsoft Graph refused: the bot's app registration lacks the application permission **{permission}**. An Entra admin can grant it (API permissions → Grant admin consent).",
        ODataError { ResponseStatusCode: (int)HttpStatusCode.Unauthorized } or ApiException { ResponseStatusCode: (int)HttpStatusCode.Unauthorized } or MsalException =>
            "The bot couldn't sign in to Microsoft Graph: check Graph:TenantId, Graph:ClientId and the secret or certificate.",
        ODataError { ResponseStatusCode: (int)HttpStatusCode.TooManyRequests } or ApiException { ResponseStatusCode: (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout } =>
            "Microsoft Graph is busy just now. Try again in a minute.",
        HttpRequestException or TaskCanceledException or TimeoutException =>
            "I couldn't reach Microsoft Graph. Try again in a minute; if it keeps happening, tell your admin.",
        _ => "Microsoft Graph gave an answer I didn't expect. Try again; if it keeps happening, tell your admin.",
    };

    public static bool IsNotFound(Exception exception) =>
        exception is ApiException { ResponseStatusCode: (int)HttpStatusCode.NotFound };

    public static bool IsConflict(Exception exception) =>
        exception is ApiException { ResponseStatusCode: (int)HttpStatusCode.Conflict };

    /// <summary>Graph's failures that are not bugs in the bot: answered in words, logged without alarm.</summary>
    public static bool IsExpected(Exception exception) =>
        exception is ApiException or MsalException or HttpRequestException or TimeoutException
        || exception is TaskCanceledException;
}
