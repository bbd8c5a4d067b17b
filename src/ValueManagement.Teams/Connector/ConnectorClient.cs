using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ValueManagement.Teams.Authentication;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Connector;

/// <summary>
/// The Bot Connector REST API (v3) over one typed <see cref="HttpClient"/>: every call carries the
/// bot's token, escapes its path parameters, waits out 429s for Retry-After, retries 412 and 5xx
/// with jittered back-off, and raises a classified <see cref="ConnectorException"/> otherwise.
/// </summary>
public sealed partial class ConnectorClient(
    HttpClient http,
    IConnectorTokenProvider tokens,
    ServiceUrlPolicy serviceUrls,
    IOptionsMonitor<ConnectorOptions> options,
    TimeProvider time,
    ILogger<ConnectorClient> logger,
    IEnumerable<IConnectorFailureObserver> failureObservers)
{
    /// <param name="deadline">
    /// When set (a reply inside a turn), no attempt runs and no retry waits past it: the call fails
    /// with the retryable failure instead, for the caller to hand the message to the delivery queue.
    /// </param>
    public Task<ResourceResponse> SendAsync(ConversationTarget target, Activity activity, CancellationToken cancellationToken, bool retry = true, DateTimeOffset? deadline = null) =>
        CallAsync(HttpMethod.Post, target.ServiceUrl, $"v3/conversations/{Escape(target.ConversationId)}/activities", activity,
            TeamsJsonContext.Default.Activity, TeamsJsonContext.Default.ResourceResponse, target, retry, cancellationToken, deadline)!;

    public Task<ResourceResponse> ReplyAsync(ConversationTarget target, string replyToId, Activity activity, CancellationToken cancellationToken, DateTimeOffset? deadline = null) =>
        CallAsync(HttpMethod.Post, target.ServiceUrl, $"v3/conversations/{Escape(target.ConversationId)}/activities/{Escape(replyToId)}",
            activity with { ReplyToId = replyToId }, TeamsJsonContext.Default.Activity, TeamsJsonContext.Default.ResourceResponse, target, true, cancellationToken, deadline)!;

    public Task<ResourceResponse> UpdateAsync(ConversationTarget target, string activityId, Activity activity, CancellationToken cancellationToken, bool retry = true, DateTimeOffset? deadline = null) =>
        CallAsync(HttpMethod.Put, target.ServiceUrl, $"v3/conversations/{Escape(target.ConversationId)}/activities/{Escape(activityId)}",
            activity with { Id = activityId }, TeamsJsonContext.Default.Activity, TeamsJsonContext.Default.ResourceResponse, target, retry, cancellationToken, deadline)!;

    public Task DeleteAsync(ConversationTarget target, string activityId, CancellationToken cancellationToken) =>
        CallAsync<Activity, ResourceResponse>(HttpMethod.Delete, target.ServiceUrl, $"v3/conversations/{Escape(target.ConversationId)}/activities/{Escape(activityId)}",
            null, null, null, target, true, cancellationToken);

    public Task<ConversationResourceResponse> CreateConversationAsync(string serviceUrl, ConversationParameters parameters, CancellationToken cancellationToken, bool retry = true) =>
        CallAsync(HttpMethod.Post, serviceUrl, "v3/conversations", parameters,
            TeamsJsonContext.Default.ConversationParameters, TeamsJsonContext.Default.ConversationResourceResponse, null, retry, cancellationToken)!;

    public Task<TeamDetails> GetTeamDetailsAsync(string serviceUrl, string teamId, CancellationToken cancellationToken) =>
        CallAsync<Activity, TeamDetails>(HttpMethod.Get, serviceUrl, $"v3/teams/{Escape(teamId)}", null, null, TeamsJsonContext.Default.TeamDetails, null, true, cancellationToken)!;

    public async Task<IReadOnlyList<ChannelInfo>> GetChannelsAsync(string serviceUrl, string teamId, CancellationToken cancellationToken)
    {
        var list = await CallAsync<Activity, ConversationList>(HttpMethod.Get, serviceUrl, $"v3/teams/{Escape(teamId)}/conversations", null, null,
            TeamsJsonContext.Default.ConversationList, null, true, cancellationToken).ConfigureAwait(false);
        return list?.Conversations ?? [];
    }

    /// <summary>Every member of a conversation or team (use the team id for a team roster), page by page.</summary>
    public async IAsyncEnumerable<TeamsChannelAccount> GetMembersAsync(string serviceUrl, string conversationId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken, int pageSize = 500)
    {
        string? continuation = null;
        do
        {
            var path = $"v3/conversations/{Escape(conversationId)}/pagedmembers?pageSize={Math.Clamp(pageSize, 50, 500)}"
                + (continuation is null ? string.Empty : $"&continuationToken={Escape(continuation)}");
            var page = await CallAsync<Activity, PagedMembersResult>(HttpMethod.Get, serviceUrl, path, null, null,
                TeamsJsonContext.Default.PagedMembersResult, null, true, cancellationToken).ConfigureAwait(false);
            foreach (var member in page?.Members ?? [])
                yield return member;
            continuation = string.IsNullOrEmpty(page?.ContinuationToken) ? null : page.ContinuationToken;
        }
        while (continuation is not null);
    }

    /// <summary>
    /// One member of a conversation (for a team, pass the team id) by their Teams id (<c>29:…</c>) or
    /// Entra object id: name, <c>aadObjectId</c>, email. Null when Teams does not know them there.
    /// </summary>
    public async Task<TeamsChannelAccount?> GetMemberAsync(string serviceUrl, string conversationId, string memberId, CancellationToken cancellationToken, DateTimeOffset? deadline = null)
    {
        try
        {
            return await CallAsync<Activity, TeamsChannelAccount>(HttpMethod.Get, serviceUrl, $"v3/conversations/{Escape(conversationId)}/members/{Escape(memberId)}",
                null, null, TeamsJsonContext.Default.TeamsChannelAccount, null, true, cancellationToken, deadline).ConfigureAwait(false);
        }
        catch (ConnectorException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public static string Escape(string value) => Uri.EscapeDataString(value);

    private async Task<TResponse?> CallAsync<TRequest, TResponse>(
        HttpMethod method, string serviceUrl, string path, TRequest? body,
        JsonTypeInfo<TRequest>? requestType, JsonTypeInfo<TResponse>? responseType,
        ConversationTarget? target, bool retry, CancellationToken cancellationToken, DateTimeOffset? deadline = null)
        where TResponse : class
    {
        serviceUrls.EnsureTrusted(serviceUrl);
        var settings = options.CurrentValue;
        var uri = new Uri(serviceUrl.TrimEnd('/') + "/" + path);
        var maxAttempts = retry ? settings.MaxAttempts : 1;
        var refreshedToken = false;

        // The turn's deadline runs on the bot's clock, so a hanging Connector is given up at the deadline.
        using var budget = deadline is { } end ? new CancellationTokenSource(Remaining(end), time) : null;

        for (var attempt = 1; ; attempt++)
        {
            if (budget?.IsCancellationRequested == true)
                throw new ConnectorException(null, null, "The turn had no time left for this call; nothing was sent.", ConnectorFailureKind.Transient);
            ConnectorException failure;
            try
            {
                using var request = new HttpRequestMessage(method, uri);
                string? token;
                try
                {
                    token = await tokens.GetTokenAsync(forceRefresh: refreshedToken, cancellationToken).ConfigureAwait(false);
                }
                catch (ConnectorTokenUnavailableException e)
                {
                    // Nothing reached Teams. Retrying inside the call would only hold it up: the token
                    // endpoint is down or the credentials need an operator, so the caller decides.
                    LogTokenUnavailable(logger, method.Method, target?.ConversationId ?? "-", e.Advice);
                    throw new ConnectorException(null, null, e.Message, ConnectorFailureKind.Transient, inner: e);
                }
                if (token is not null)
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (body is not null && requestType is not null)
                    request.Content = JsonContent.Create(body, requestType);

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget?.Token ?? CancellationToken.None);
                timeout.CancelAfter(settings.Timeout);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    if (responseType is null || response.StatusCode == HttpStatusCode.NoContent) return null;
                    var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                    return string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize(text, responseType);
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized && token is not null && !refreshedToken)
                {
                    // The cached token may have been revoked: fetch a fresh one and try once more.
                    refreshedToken = true;
                    attempt--;
                    continue;
                }

                failure = await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                failure = new ConnectorException(null, null, $"The Connector could not be reached: {e.Message}", ConnectorFailureKind.Transient, inner: e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new ConnectorException(null, null,
                    budget?.IsCancellationRequested == true ? "The Connector did not answer within the turn's time." : "The Connector did not answer in time.",
                    ConnectorFailureKind.Transient, inner: e);
            }

            if (failure.Kind == ConnectorFailureKind.ConversationUnreachable && target is not null)
            {
                foreach (var observer in failureObservers)
                    await observer.OnConversationUnreachableAsync(target, failure.ErrorCode ?? failure.StatusCode?.ToString() ?? "unknown", cancellationToken).ConfigureAwait(false);
            }

            if (!failure.IsRetryable || attempt >= maxAttempts)
            {
                LogCallFailed(logger, method.Method, target?.ConversationId ?? "-", (int?)failure.StatusCode ?? 0, failure.ErrorCode ?? "-", attempt);
                throw failure;
            }

            var delay = failure.RetryAfter ?? Backoff(settings, attempt);
            if (deadline is { } due && (budget!.IsCancellationRequested || time.GetUtcNow() + delay >= due))
            {
                LogOutOfTurnTime(logger, method.Method, target?.ConversationId ?? "-", (int?)failure.StatusCode ?? 0, delay.TotalMilliseconds, attempt);
                throw failure;
            }
            LogRetrying(logger, method.Method, target?.ConversationId ?? "-", (int?)failure.StatusCode ?? 0, delay.TotalMilliseconds, attempt);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        var left = deadline - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Exponential back-off from the base delay, capped, with ±20% jitter.</summary>
    public static TimeSpan Backoff(ConnectorOptions settings, int attempt)
    {
        var exponential = settings.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, settings.MaxDelay.TotalMilliseconds);
        var jitter = 1 + ((Random.Shared.NextDouble() * 0.4) - 0.2);
        return TimeSpan.FromMilliseconds(capped * jitter);
    }

    private async Task<ConnectorException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string? code = null, message = null, subCode = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(text))
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                    {
                        code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                        message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                    }
                    subCode = document.RootElement.TryGetProperty("subCode", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // A body that is not the documented error shape: classify on the status alone.
        }

        var retryAfter = RetryAfter(response.Headers.RetryAfter);
        var kind = ConnectorException.Classify(response.StatusCode, code, subCode);
        return new ConnectorException(response.StatusCode, code, $"The Connector answered {(int)response.StatusCode} {code}: {message}", kind, retryAfter);
    }

    private TimeSpan? RetryAfter(RetryConditionHeaderValue? header)
    {
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Connector {Method} to conversation {ConversationId} not sent: the bot cannot get its Connector token: {Advice}")]
    private static partial void LogTokenUnavailable(ILogger logger, string method, string conversationId, string advice);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Method} to conversation {ConversationId} failed with {Status} {ErrorCode} after {Attempts} attempt(s)")]
    private static partial void LogCallFailed(ILogger logger, string method, string conversationId, int status, string errorCode, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {Method} to conversation {ConversationId} answered {Status} (attempt {Attempt}); waiting {DelayMs} ms would pass the turn's time, so the caller hands it on")]
    private static partial void LogOutOfTurnTime(ILogger logger, string method, string conversationId, int status, double delayMs, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {Method} to conversation {ConversationId} answered {Status}; retrying in {DelayMs} ms (attempt {Attempt})")]
    private static partial void LogRetrying(ILogger logger, string method, string conversationId, int status, double delayMs, int attempt);
}

/// <summary>Told when the Connector says a conversation can no longer be reached, so the stored reference can be marked inactive.</summary>
public interface IConnectorFailureObserver
{
    Task OnConversationUnreachableAsync(ConversationTarget target, string reason, CancellationToken cancellationToken);
}
