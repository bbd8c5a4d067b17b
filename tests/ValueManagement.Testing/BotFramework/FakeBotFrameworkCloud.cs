using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ValueManagement.Testing.BotFramework;

/// <summary>One call the bot made to the fake Connector.</summary>
public sealed record ConnectorCall(
    string Method,
    string Path,
    string? ConversationId,
    string? ActivityId,
    string? Authorization,
    JsonNode? Body,
    DateTimeOffset At)
{
    /// <summary>The first Adaptive Card attached to the activity, if any.</summary>
    public JsonNode? Card => Body?["attachments"]?[0]?["content"];

    /// <summary>The card for an activity sent inside <c>POST /v3/conversations</c>.</summary>
    public JsonNode? CreatedConversationCard => Body?["activity"]?["attachments"]?[0]?["content"];
}

/// <summary>
/// A scripted answer for the next matching Connector call (to test 429, 5xx, ConversationNotFound...).
/// With <see cref="Hang"/>, the call gets no answer at all until the bot gives up on it.
/// </summary>
public sealed record ScriptedFailure(int Status, string? ErrorCode = null, TimeSpan? RetryAfter = null, Func<ConnectorCall, bool>? Matches = null, bool Hang = false);

/// <summary>How the fake Entra token endpoint answers while it is failing (for example 401 <c>invalid_client</c> AADSTS7000215, or 500).</summary>
public sealed record TokenEndpointFailure(int Status, string Error, string Description)
{
    public static readonly TokenEndpointFailure ExpiredSecret = new(401, "invalid_client",
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID. Trace ID: 0000 Correlation ID: 0000");

    public static readonly TokenEndpointFailure ServerError = new(500, "server_error", "AADSTS90033: A transient error has occurred. Please try again.");
}

/// <summary>
/// The Microsoft side of a Teams bot, on https://127.0.0.1 with a test certificate: the Bot
/// Connector's OpenID metadata and JWKS (with endorsements), the Entra token endpoint, and the Bot
/// Connector REST API (recording every call). Stops when disposed.
/// </summary>
public sealed class FakeBotFrameworkCloud : IAsyncDisposable
{
    public const string ServicePath = "/amer/";
    public const string TenantPath = "botframework.com";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ConnectorCall> _calls = new();
    private readonly ConcurrentQueue<ScriptedFailure> _failures = new();
    private readonly ConcurrentQueue<IReadOnlyDictionary<string, string>> _tokenRequests = new();
    private readonly ConcurrentDictionary<string, int> _posted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _members = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource _hangs = new();
    private int _nextId;
    private int _jwksFetches;

    private FakeBotFrameworkCloud(WebApplication app, IReadOnlyList<TestSigningKey> keys)
    {
        _app = app;
        Keys = keys.ToList();
    }

    public List<TestSigningKey> Keys { get; }
    public TestSigningKey PrimaryKey => Keys[0];
    public string BaseUrl { get; private set; } = string.Empty;
    public string ServiceUrl => BaseUrl + ServicePath;
    public string OpenIdMetadataUrl => BaseUrl + "/v1/.well-known/openidconfiguration";
    public string LoginUrl => BaseUrl + "/" + TenantPath;
    public int JwksFetches => _jwksFetches;
    public IReadOnlyList<ConnectorCall> Calls => _calls.ToList();
    public IReadOnlyList<IReadOnlyDictionary<string, string>> TokenRequests => _tokenRequests.ToList();

    /// <summary>While set, every token request is answered with this failure (MSAL's own retry included).</summary>
    public TokenEndpointFailure? TokenFailure { get; set; }

    /// <summary>
    /// Makes a user known to <c>GET /v3/conversations/{id}/members/{userId}</c> (in any conversation), as
    /// Teams describes a member: <c>29:</c> id, name, <c>aadObjectId</c>, email and UPN.
    /// </summary>
    public void AddMember(string teamsId, string name, string aadObjectId, string? email = null) =>
        _members[teamsId] = new JsonObject
        {
            ["id"] = teamsId,
            ["name"] = name,
            ["aadObjectId"] = aadObjectId,
            ["email"] = email,
            ["userPrincipalName"] = email,
            ["tenantId"] = TestActivities.TenantId,
            ["userRole"] = "user",
        };

    /// <summary>How long the Connector takes to answer each call (for slow-connector tests).</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>The clock for call timestamps (and for <see cref="EnforceTeamsLimits"/> unless told otherwise).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Keep each call's JSON body in <see cref="Calls"/> (turn off for load runs).</summary>
    public bool RecordBodies { get; set; } = true;

    /// <summary>When set, the Connector enforces Teams' rate limits and answers 429 with Retry-After (off by default).</summary>
    public TeamsLimitEnforcer? Limits { get; private set; }

    /// <summary>Messages accepted by <c>POST …/activities</c>, per conversation (as addressed).</summary>
    public IReadOnlyDictionary<string, int> PostedMessageCounts => _posted;

    /// <summary>
    /// From now on, enforce Teams' documented limits (per conversation 7/1 s, 8/2 s, 60/30 s,
    /// 1800/h; per tenant 50 per second) on message writes, answering 429 <c>Throttled</c> with a
    /// Retry-After when a request is over a limit. <see cref="Reset"/> turns it off again.
    /// </summary>
    public TeamsLimitEnforcer EnforceTeamsLimits(TeamsLimitSettings? settings = null, TimeProvider? time = null)
    {
        Limits = new TeamsLimitEnforcer(settings, time ?? Clock);
        return Limits;
    }

    public static async Task<FakeBotFrameworkCloud> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestCertificate.Certificate)));
        var app = builder.Build();
        var cloud = new FakeBotFrameworkCloud(app, [SharedKeys.Primary, SharedKeys.Other]);
        cloud.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        cloud.BaseUrl = address.Replace("[::1]", "127.0.0.1").TrimEnd('/');
        return cloud;
    }

    /// <summary>Only the first key is published; others sign tokens the bot must reject.</summary>
    public IEnumerable<TestSigningKey> PublishedKeys => Keys.Take(1).Concat(ExtraPublishedKeys);

    public List<TestSigningKey> ExtraPublishedKeys { get; } = [];

    public void FailNext(ScriptedFailure failure) => _failures.Enqueue(failure);

    public void ClearCalls()
    {
        while (_calls.TryDequeue(out _)) { }
        _posted.Clear();
    }

    /// <summary>Back to a freshly started cloud: no calls, no scripted failures, only the primary key published.</summary>
    public void Reset()
    {
        ClearCalls();
        while (_failures.TryDequeue(out _)) { }
        _members.Clear();
        TokenFailure = null;
        ReleaseHungCalls();
        while (_tokenRequests.TryDequeue(out _)) { }
        ExtraPublishedKeys.Clear();
        ResponseDelay = TimeSpan.Zero;
        Limits = null;
        RecordBodies = true;
        Clock = TimeProvider.System;
    }

    /// <summary>Waits until the bot has made at least <paramref name="count"/> Connector calls matching the filter.</summary>
    public async Task<IReadOnlyList<ConnectorCall>> WaitForCallsAsync(int count, Func<ConnectorCall, bool>? filter = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var matching = Calls.Where(filter ?? (_ => true)).ToList();
            if (matching.Count >= count) return matching;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Expected {count} Connector calls, saw {matching.Count}: {string.Join(", ", Calls.Select(c => c.Method + " " + c.Path))}");
            await Task.Delay(20);
        }
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/v1/.well-known/openidconfiguration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = "https://api.botframework.com",
            ["authorization_endpoint"] = "https://invalid.botframework.com",
            ["jwks_uri"] = BaseUrl + "/v1/.well-known/keys",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
        }));

        app.MapGet("/v1/.well-known/keys", () =>
        {
            Interlocked.Increment(ref _jwksFetches);
            return Results.Json(new { keys = PublishedKeys.Select(k => k.ToJwk()).ToArray() });
        });

        app.MapPost("/{tenant}/oauth2/v2.0/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            _tokenRequests.Enqueue(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
            if (TokenFailure is { } failing)
            {
                return Results.Json(new Dictionary<string, object>
                {
                    ["error"] = failing.Error,
                    ["error_description"] = failing.Description,
                    ["error_codes"] = new[] { int.Parse(failing.Description.AsSpan(6, failing.Description.IndexOf(':', StringComparison.Ordinal) - 6), System.Globalization.CultureInfo.InvariantCulture) },
                    ["trace_id"] = "00000000-0000-0000-0000-000000000000",
                    ["correlation_id"] = "00000000-0000-0000-0000-000000000000",
                }, statusCode: failing.Status);
            }
            return Results.Json(new Dictionary<string, object>
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = 3600,
                ["ext_expires_in"] = 3600,
                ["access_token"] = ConnectorAccessToken,
            });
        });

        var connector = app.MapGroup(ServicePath.TrimEnd('/'));
        connector.MapPost("/v3/conversations/{conversationId}/activities", (HttpContext http, string conversationId) => RecordAsync(http, conversationId, null));
        connector.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext http, string conversationId, string activityId) => RecordAsync(http, conversationId, activityId));
        connector.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext http, string conversationId, string activityId) => RecordAsync(http, conversationId, activityId));
        connector.MapDelete("/v3/conversations/{conversationId}/activities/{activityId}", (HttpContext http, string conversationId, string activityId) => RecordAsync(http, conversationId, activityId));
        connector.MapPost("/v3/conversations", (HttpRequest request) => RecordAsync(request.HttpContext, null, null));
        connector.MapGet("/v3/teams/{teamId}", (HttpContext http, string teamId) => RecordAsync(http, teamId, null));
        connector.MapGet("/v3/teams/{teamId}/conversations", (HttpContext http, string teamId) => RecordAsync(http, teamId, null));
        connector.MapGet("/v3/conversations/{conversationId}/pagedmembers", (HttpContext http, string conversationId) => RecordAsync(http, conversationId, null));
        connector.MapGet("/v3/conversations/{conversationId}/members/{memberId}", (HttpContext http, string conversationId, string memberId) => RecordAsync(http, conversationId, memberId));
    }

    public const string ConnectorAccessToken = "fake-connector-access-token";

    private async Task<IResult> RecordAsync(HttpContext http, string? conversationId, string? activityId)
    {
        JsonNode? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
            body = await JsonNode.ParseAsync(http.Request.Body);

        var call = new ConnectorCall(http.Request.Method, http.Request.Path.Value ?? string.Empty, conversationId, activityId,
            http.Request.Headers.Authorization.ToString(), RecordBodies ? body : null, Clock.GetUtcNow());
        if (ResponseDelay > TimeSpan.Zero) await Task.Delay(ResponseDelay);

        if (_failures.TryPeek(out var failure) && (failure.Matches?.Invoke(call) ?? true) && _failures.TryDequeue(out failure))
        {
            if (failure.Hang)
            {
                _calls.Enqueue(call with { Path = call.Path + " -> no answer" });
                using var gone = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, _hangs.Token);
                try { await Task.Delay(Timeout.Infinite, gone.Token); } catch (OperationCanceledException) { }
                return Results.StatusCode(504);
            }
            _calls.Enqueue(call with { Path = call.Path + $" -> {failure.Status}" });
            if (failure.RetryAfter is { } wait)
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Json(new { error = new { code = failure.ErrorCode ?? "ServiceError", message = "scripted failure" } }, statusCode: failure.Status);
        }

        if (Limits is { } limits && IsMessageWrite(http.Request.Method, call.Path))
        {
            var tenant = body?["channelData"]?["tenant"]?["id"]?.GetValue<string>()
                ?? body?["conversation"]?["tenantId"]?.GetValue<string>()
                ?? body?["tenantId"]?.GetValue<string>()
                ?? "default";
            var thread = conversationId ?? body?["channelData"]?["channel"]?["id"]?.GetValue<string>() ?? "new-conversation";
            var decision = limits.TryAdmit(tenant, thread);
            if (!decision.Admitted)
            {
                _calls.Enqueue(call with { Path = call.Path + " -> 429" });
                http.Response.Headers.RetryAfter = ((int)decision.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Json(new { error = new { code = "Throttled", message = $"Too many requests ({decision.Scope} limit)" } }, statusCode: 429);
            }
        }

        _calls.Enqueue(call);
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (http.Request.Path.Value!.EndsWith("/v3/conversations", StringComparison.Ordinal))
        {
            var isChannel = body?["channelData"]?["channel"]?["id"]?.GetValue<string>() is { } channel;
            var newId = isChannel ? $"{body!["channelData"]!["channel"]!["id"]!.GetValue<string>()};messageid={id}" : $"a:personal-{id}";
            return Results.Json(new Dictionary<string, object?> { ["id"] = newId, ["activityId"] = isChannel ? id : null }, statusCode: 201);
        }
        if (http.Request.Path.Value!.Contains("/v3/teams/", StringComparison.Ordinal))
        {
            return http.Request.Path.Value.EndsWith("/conversations", StringComparison.Ordinal)
                ? Results.Json(new { conversations = new[] { new { id = conversationId, name = (string?)null } } })
                : Results.Json(new { id = conversationId, name = "Test team", aadGroupId = "00000000-0000-0000-0000-0000000000aa" });
        }
        if (http.Request.Path.Value!.EndsWith("/pagedmembers", StringComparison.Ordinal))
            return Results.Json(new { members = Array.Empty<object>() });
        if (http.Request.Method == "GET" && http.Request.Path.Value!.Contains("/members/", StringComparison.Ordinal))
        {
            // Teams answers for a member's 29: id or their Entra object id.
            var member = _members.TryGetValue(activityId!, out var byTeamsId) ? byTeamsId
                : _members.Values.FirstOrDefault(m => string.Equals(m["aadObjectId"]?.GetValue<string>(), activityId, StringComparison.OrdinalIgnoreCase));
            return member is not null
                ? Results.Json(member)
                : Results.Json(new { error = new { code = "MemberNotFoundInConversation", message = "The member is not in the conversation." } }, statusCode: 404);
        }

        if (http.Request.Method == "POST" && conversationId is not null && activityId is null)
            _posted.AddOrUpdate(conversationId, 1, (_, count) => count + 1);
        return Results.Json(new { id = activityId ?? $"msg-{id}" }, statusCode: http.Request.Method == "PUT" ? 200 : 201);
    }

    private static bool IsMessageWrite(string method, string path) =>
        path.Contains("/activities", StringComparison.Ordinal)
            ? method is "POST" or "PUT" or "DELETE"
            : method == "POST" && path.EndsWith("/v3/conversations", StringComparison.Ordinal);

    /// <summary>Lets every call held by a <see cref="ScriptedFailure.Hang"/> end (with 504) now.</summary>
    public void ReleaseHungCalls()
    {
        var hangs = Interlocked.Exchange(ref _hangs, new CancellationTokenSource());
        hangs.Cancel();
        hangs.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseHungCalls();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
