using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Features.Tests.Delivery;

/// <summary>
/// The Bot Connector's activity endpoints as an <see cref="HttpMessageHandler"/>, on the test's
/// clock: records every request with the time it arrived, answers with scripted failures, a
/// standing rule, or (optionally) Teams' rate limits, and otherwise accepts.
/// </summary>
public sealed class FakeConnectorHandler(TimeProvider time) : HttpMessageHandler
{
    private readonly Lock _gate = new();
    private readonly List<ConnectorRequest> _requests = [];
    private readonly List<(Func<ConnectorRequest, bool> Matches, ConnectorAnswer Answer)> _script = [];
    private int _nextId;

    /// <summary>Consulted for every request not answered by the script: a non-null answer is given instead of success.</summary>
    public Func<ConnectorRequest, ConnectorAnswer?>? Rule { get; set; }

    /// <summary>Runs when a request arrives, before it is answered (to hold a request open).</summary>
    public Func<ConnectorRequest, CancellationToken, Task>? OnArrival { get; set; }

    /// <summary>When set, Teams' limits are enforced and breaches answered with 429 and Retry-After.</summary>
    public TeamsLimitEnforcer? Limits { get; set; }

    public IReadOnlyList<ConnectorRequest> Requests
    {
        get { lock (_gate) return _requests.ToList(); }
    }

    /// <summary>Accepted message posts (POST …/activities answered 201).</summary>
    public IReadOnlyList<ConnectorRequest> Posted => Requests.Where(r => r.Method == "POST" && r.Status == 201).ToList();

    public IReadOnlyList<ConnectorRequest> To(string conversationId) => Requests.Where(r => r.ConversationId == conversationId).ToList();

    /// <summary>Answers the next matching request with a failure.</summary>
    public void FailNext(int status, string? errorCode = null, TimeSpan? retryAfter = null, Func<ConnectorRequest, bool>? matches = null)
    {
        lock (_gate) _script.Add((matches ?? (_ => true), new ConnectorAnswer(status, errorCode, retryAfter)));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(segments, "conversations");
        var conversationId = at >= 0 && segments.Length > at + 1 ? Uri.UnescapeDataString(segments[at + 1]) : string.Empty;
        var activityId = at >= 0 && segments.Length > at + 3 ? Uri.UnescapeDataString(segments[at + 3]) : null;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var arrived = new ConnectorRequest(request.Method.Method, conversationId, activityId, time.GetUtcNow(), body, 0);

        if (OnArrival is { } hook) await hook(arrived, cancellationToken);

        ConnectorAnswer? answer = null;
        lock (_gate)
        {
            var index = _script.FindIndex(s => s.Matches(arrived));
            if (index >= 0)
            {
                answer = _script[index].Answer;
                _script.RemoveAt(index);
            }
        }
        answer ??= Rule?.Invoke(arrived);
        if (answer is null && Limits is { } limits)
        {
            var tenant = body is null ? null : JsonNode.Parse(body)?["channelData"]?["tenant"]?["id"]?.GetValue<string>();
            var decision = limits.TryAdmit(tenant ?? "default", conversationId);
            if (!decision.Admitted) answer = new ConnectorAnswer(429, "Throttled", decision.RetryAfter);
        }

        if (answer is { } failure)
        {
            Record(arrived with { Status = failure.Status });
            var response = new HttpResponseMessage((HttpStatusCode)failure.Status)
            {
                Content = new StringContent($$$"""{"error":{"code":"{{{failure.ErrorCode ?? "ServiceError"}}}","message":"scripted"}}""", Encoding.UTF8, "application/json"),
            };
            if (failure.RetryAfter is { } wait)
                response.Headers.TryAddWithoutValidation("Retry-After", ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
            return response;
        }

        var status = request.Method == HttpMethod.Put ? 200 : 201;
        Record(arrived with { Status = status });
        var id = activityId ?? "msg-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        return new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent($$"""{"id":"{{id}}"}""", Encoding.UTF8, "application/json"),
        };
    }

    private void Record(ConnectorRequest request)
    {
        lock (_gate) _requests.Add(request);
    }

    // The HTTP client factory may dispose its handler chain; this fake outlives it.
    protected override void Dispose(bool disposing)
    {
    }
}

public sealed record ConnectorRequest(string Method, string ConversationId, string? ActivityId, DateTimeOffset At, string? Body, int Status)
{
    public JsonNode? Json => Body is null ? null : JsonNode.Parse(Body);
}

public sealed record ConnectorAnswer(int Status, string? ErrorCode = null, TimeSpan? RetryAfter = null);
