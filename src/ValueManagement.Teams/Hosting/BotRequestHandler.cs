using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueManagement.Teams.Authentication;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Hosting;

/// <summary>
/// <c>POST /api/messages</c>: size limit, JSON, authentication, tenant and service-URL checks,
/// de-duplication, then the dispatcher. Bad input gets 400, 401, 403 or 413, never 500, and the body
/// of a request that fails a check is never processed.
/// </summary>
public sealed partial class BotRequestHandler(
    ChannelTokenValidator tokenValidator,
    ActivityDispatcher dispatcher,
    IActivityDeduplicator deduplicator,
    ServiceUrlPolicy serviceUrls,
    IConnectorTokenProvider connectorTokens,
    TimeProvider time,
    IOptionsMonitor<BotOptions> botOptions,
    IHostApplicationLifetime lifetime,
    ILogger<BotRequestHandler> logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var options = botOptions.CurrentValue;
        var replyDeadline = time.GetUtcNow() + options.TurnReplyBudget;
        var body = await ReadBodyAsync(http.Request, options.MaxRequestBytes).ConfigureAwait(false);
        if (body is null)
        {
            await ProblemAsync(http, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {options.MaxRequestBytes} bytes.").ConfigureAwait(false);
            return;
        }

        Activity? activity;
        try
        {
            activity = JsonSerializer.Deserialize(body, TeamsJsonContext.Default.Activity);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            LogBadRequest(logger, e.GetType().Name);
            await ProblemAsync(http, StatusCodes.Status400BadRequest, "The request body is not a valid activity (JSON).").ConfigureAwait(false);
            return;
        }

        if (activity is null || string.IsNullOrWhiteSpace(activity.Type))
        {
            await ProblemAsync(http, StatusCodes.Status400BadRequest, "The activity has no type.").ConfigureAwait(false);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["ActivityId"] = activity.Id,
            ["ConversationId"] = activity.Conversation?.Id,
            ["ActivityType"] = activity.Type,
        });

        var authorization = http.Request.Headers.Authorization.ToString();
        switch (await AuthenticateAsync(http, authorization, activity, options).ConfigureAwait(false))
        {
            case AuthenticationOutcome.Unauthorized:
                await ProblemAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized.").ConfigureAwait(false);
                return;
            case AuthenticationOutcome.KeysUnavailable:
                http.Response.Headers.RetryAfter = "30";
                await ProblemAsync(http, StatusCodes.Status503ServiceUnavailable, "The bot cannot check tokens right now; try again shortly.").ConfigureAwait(false);
                return;
        }

        if (!options.AllowedChannels.Contains(activity.ChannelId ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            LogChannelRefused(logger, activity.ChannelId ?? "(none)");
            await ProblemAsync(http, StatusCodes.Status403Forbidden, $"This bot works in Microsoft Teams only; channel '{activity.ChannelId}' is not served.").ConfigureAwait(false);
            return;
        }

        if (options.AllowedTenants.Count > 0 && !options.AllowedTenants.Contains(activity.TenantId ?? string.Empty, StringComparer.OrdinalIgnoreCase))
        {
            LogTenantRefused(logger, activity.TenantId ?? "(none)");
            await ProblemAsync(http, StatusCodes.Status403Forbidden, "This tenant is not allowed to use this bot.").ConfigureAwait(false);
            return;
        }

        if (!serviceUrls.IsTrusted(activity.ServiceUrl, out var untrusted))
        {
            LogServiceUrlRefused(logger, untrusted);
            await ProblemAsync(http, StatusCodes.Status403Forbidden, "The activity's serviceUrl is not trusted.").ConfigureAwait(false);
            return;
        }

        // An invoke is answered in its HTTP body, which needs no token; every other turn answers through
        // the Connector, so without a token it is refused before anything is claimed or done, and the
        // retry Teams sends is processed in full.
        if (activity.Type != ActivityTypes.Invoke && await ConnectorTokenProblemAsync(options.TurnReplyBudget).ConfigureAwait(false) is { } tokenProblem)
        {
            await TokenUnavailableAsync(http, tokenProblem).ConfigureAwait(false);
            return;
        }

        var key = string.IsNullOrEmpty(activity.Id) ? null : IActivityDeduplicator.KeyFor(activity);
        if (key is not null)
        {
            ActivityClaim claim;
            try
            {
                claim = await deduplicator.TryClaimAsync(key, lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Nothing can be recorded (disk full, file read-only): take no work on rather than risk
                // doing it twice; the user's card keeps what they typed.
                LogStorageUnavailable(logger, e, activity.Id!);
                await StorageUnavailableAsync(http, activity).ConfigureAwait(false);
                return;
            }
            if (claim.Outcome != ClaimOutcome.Claimed)
            {
                LogDuplicate(logger, activity.Id!, claim.Outcome.ToString());
                await WriteInvokeResponseAsync(http, activity, claim.EarlierResponse
                    ?? (activity.Type == ActivityTypes.Invoke ? StillWorking : null)).ConfigureAwait(false);
                return;
            }
        }

        // Work that started must finish (a submission is on disk before its answer goes out), so the
        // turn runs to completion even if Teams gives up on the HTTP request; only shutdown stops it.
        var turn = new TurnContext(activity, http.RequestServices.GetRequiredService<ConnectorClient>(), http.RequestServices, replyDeadline);
        AdaptiveCardInvokeResponse? response;
        try
        {
            response = await dispatcher.DispatchAsync(turn, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // The turn did not finish: give up the claim so that Teams' retry is processed, not dropped.
            if (key is not null) await ReleaseClaimAsync(key, activity.Id!).ConfigureAwait(false);
            await TurnFailedAsync(http, activity, e).ConfigureAwait(false);
            return;
        }
        if (key is not null)
        {
            try
            {
                await deduplicator.CompleteAsync(key, response, lifetime.ApplicationStopping).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // The turn's own work is done (or was refused plainly); only the replay record is missing.
                LogStorageUnavailable(logger, e, activity.Id!);
            }
        }

        await WriteInvokeResponseAsync(http, activity, response).ConfigureAwait(false);
    }

    /// <summary>Whether the bot can get its Connector token now (MSAL caches it, so this is cheap); if not, why.</summary>
    private async Task<ConnectorTokenUnavailableException?> ConnectorTokenProblemAsync(TimeSpan wait)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        limit.CancelAfter(wait);
        try
        {
            await connectorTokens.GetTokenAsync(forceRefresh: false, limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (ConnectorTokenUnavailableException e)
        {
            return e;
        }
        catch (OperationCanceledException e) when (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return new ConnectorTokenUnavailableException(
                $"the token endpoint did not answer within {wait.TotalSeconds:0} s: check the network path to it (DNS, proxy, firewall) and Microsoft Entra's service health", null, null, e);
        }
    }

    private Task TokenUnavailableAsync(HttpContext http, ConnectorTokenUnavailableException problem)
    {
        LogTokenUnavailable(logger, problem.Advice);
        http.Response.Headers.RetryAfter = TokenRetryAfterSeconds;
        return ProblemAsync(http, StatusCodes.Status503ServiceUnavailable, "The bot cannot answer right now; try again shortly.");
    }

    private const string TokenRetryAfterSeconds = "30";

    private async Task ReleaseClaimAsync(string key, string activityId)
    {
        try
        {
            await deduplicator.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The claim goes stale by itself after IActivityDeduplicator.StaleClaimAfter.
            LogStorageUnavailable(logger, e, activityId);
        }
    }

    /// <summary>Answers a turn that failed outside every handler's own error handling: never a 500, never a stack trace.</summary>
    private Task TurnFailedAsync(HttpContext http, Activity activity, Exception e)
    {
        switch (e)
        {
            case ConnectorException { InnerException: ConnectorTokenUnavailableException problem }:
                return TokenUnavailableAsync(http, problem);
            case IOException io:
                LogStorageUnavailable(logger, io, activity.Id ?? "-");
                return StorageUnavailableAsync(http, activity);
            case OperationCanceledException when lifetime.ApplicationStopping.IsCancellationRequested:
                LogStoppedMidTurn(logger, activity.Id ?? "-");
                http.Response.Headers.RetryAfter = "5";
                return ProblemAsync(http, StatusCodes.Status503ServiceUnavailable, "The bot is restarting; try again shortly.");
            default:
                LogTurnFailed(logger, e, activity.Id ?? "-");
                http.Response.Headers.RetryAfter = "30";
                return ProblemAsync(http, StatusCodes.Status503ServiceUnavailable, "The bot could not finish this activity; try again shortly.");
        }
    }

    private static readonly AdaptiveCardInvokeResponse StillWorking = new()
    {
        StatusCode = 200,
        Type = AdaptiveCardInvokeResponse.MessageType,
        Value = JsonSerializer.SerializeToElement("Still working on that: it will appear in a moment.", TeamsJsonContext.Default.String),
    };

    private async Task<AuthenticationOutcome> AuthenticateAsync(HttpContext http, string authorization, Activity activity, BotOptions options)
    {
        if (string.IsNullOrEmpty(authorization) && options.AllowUnauthenticatedLocalRequests)
        {
            // Agents Playground sends no token. Trust the socket, never forwarding headers.
            var remote = http.Connection.RemoteIpAddress;
            var fromLoopback = remote is not null && IPAddress.IsLoopback(remote);
            var serviceUrlLoopback = Uri.TryCreate(activity.ServiceUrl, UriKind.Absolute, out var serviceUri) && ServiceUrlPolicy.IsLoopback(serviceUri);
            if (fromLoopback && serviceUrlLoopback) return AuthenticationOutcome.Authenticated;
            LogLocalRefused(logger, remote?.ToString() ?? "unknown");
            return AuthenticationOutcome.Unauthorized;
        }

        ChannelTokenValidationResult result;
        try
        {
            result = await tokenValidator.ValidateAsync(authorization, activity, http.RequestAborted).ConfigureAwait(false);
        }
        catch (SigningKeysUnavailableException)
        {
            return AuthenticationOutcome.KeysUnavailable;
        }
        if (!result.IsValid) LogUnauthorized(logger, result.Failure ?? "invalid");
        return result.IsValid ? AuthenticationOutcome.Authenticated : AuthenticationOutcome.Unauthorized;
    }

    private enum AuthenticationOutcome { Authenticated, Unauthorized, KeysUnavailable }

    private static Task StorageUnavailableAsync(HttpContext http, Activity activity)
    {
        if (activity.Type == ActivityTypes.Invoke)
            return WriteInvokeResponseAsync(http, activity, new AdaptiveCardInvokeResponse
            {
                StatusCode = 200,
                Type = AdaptiveCardInvokeResponse.MessageType,
                Value = JsonSerializer.SerializeToElement(ActivityDispatcher.StorageUnavailable, TeamsJsonContext.Default.String),
            });
        http.Response.Headers.RetryAfter = "60";
        return ProblemAsync(http, StatusCodes.Status503ServiceUnavailable, ActivityDispatcher.StorageUnavailable);
    }

    private static async Task WriteInvokeResponseAsync(HttpContext http, Activity activity, AdaptiveCardInvokeResponse? response)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (activity.Type == ActivityTypes.Invoke && response is not null)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(http.Response.Body, response, TeamsJsonContext.Default.AdaptiveCardInvokeResponse).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the whole body, or returns null as soon as it passes the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit)
    {
        if (request.ContentLength > limit) return null;
        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Task ProblemAsync(HttpContext http, int status, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(detail);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a request body that is not an activity ({Error})")]
    private static partial void LogBadRequest(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an activity: {Reason}")]
    private static partial void LogUnauthorized(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an unauthenticated request from {Remote}: local development requests must come from loopback with a loopback serviceUrl")]
    private static partial void LogLocalRefused(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an activity from channel {ChannelId}: not in Bot:AllowedChannels (this bot is for Microsoft Teams)")]
    private static partial void LogChannelRefused(ILogger logger, string channelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Answered 503 (Teams will retry): the bot cannot get its Connector token: {Advice}")]
    private static partial void LogTokenUnavailable(ILogger logger, string advice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Activity {ActivityId} stopped mid-turn by shutdown; its claim is released so Teams' retry is processed")]
    private static partial void LogStoppedMidTurn(ILogger logger, string activityId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Activity {ActivityId} failed outside its handler; answered 503 and released its claim so Teams' retry is processed")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, string activityId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an activity from tenant {TenantId}: not in Bot:AllowedTenants")]
    private static partial void LogTenantRefused(ILogger logger, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an activity: {Reason}")]
    private static partial void LogServiceUrlRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The data file cannot be written (activity {ActivityId}): is the disk full or the file read-only?")]
    private static partial void LogStorageUnavailable(ILogger logger, Exception exception, string activityId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Activity {ActivityId} seen before ({Outcome}); not processed again")]
    private static partial void LogDuplicate(ILogger logger, string activityId, string outcome);
}
