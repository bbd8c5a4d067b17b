using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Testing.Graph;

/// <summary>A user in the fake directory.</summary>
public sealed record FakeGraphUser(string Id, string DisplayName, string UserPrincipalName, string? Mail = null);

/// <summary>A Microsoft 365 group in the fake directory: its members' and owners' object ids.</summary>
public sealed record FakeGraphGroup(string Id, IReadOnlyList<string> Members, IReadOnlyList<string> Owners);

/// <summary>One call the bot made to the fake Graph.</summary>
public sealed record GraphCall(string Method, string Path, string Query, string? Authorization, JsonNode? Body);

/// <summary>A scripted answer for the next matching Graph call (403, 404, 429 with Retry-After...).</summary>
public sealed record GraphFailure(int Status, string Code, TimeSpan? RetryAfter = null, Func<GraphCall, bool>? Matches = null);

/// <summary>
/// Microsoft Graph v1.0 as far as the bot uses it, on https://127.0.0.1 with the test certificate:
/// users (by id, and by <c>$filter</c> on displayName, userPrincipalName or mail), the Teams app
/// catalog (by externalId), app installation for a user, and a group's members and owners (paged
/// with <c>@odata.nextLink</c>, <see cref="PageSize"/> a page unless <c>$top</c> asks for fewer). Answers errors in Graph's shape
/// (<c>{"error":{"code","message"}}</c>). Tokens come from the fake cloud's token endpoint; any
/// request without a bearer token gets 401. Stops when disposed.
/// </summary>
public sealed partial class FakeGraph : IAsyncDisposable
{
    public const string CatalogAppId = "b1c2d3e4-0000-4000-8000-00000000cafe";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GraphCall> _calls = new();
    private readonly ConcurrentQueue<GraphFailure> _failures = new();
    private readonly ConcurrentDictionary<string, FakeGraphUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _catalog = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, byte> _installedFor = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FakeGraphGroup> _groups = new(StringComparer.OrdinalIgnoreCase);

    private FakeGraph(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>What to configure as <c>Graph:BaseUrl</c>.</summary>
    public string GraphUrl => BaseUrl + "/v1.0";

    public IReadOnlyList<GraphCall> Calls => _calls.ToList();

    /// <summary>Users the bot was installed for (by object id).</summary>
    public IReadOnlyCollection<string> InstalledFor => _installedFor.Keys.ToList();

    public static async Task<FakeGraph> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(TestCertificate.Certificate)));
        var app = builder.Build();
        var graph = new FakeGraph(app);
        graph.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        graph.BaseUrl = address.Replace("[::1]", "127.0.0.1").TrimEnd('/');
        return graph;
    }

    /// <summary>The most members or owners one page holds; small, so tests see paging.</summary>
    public int PageSize { get; set; } = 2;

    public void AddUser(FakeGraphUser user) => _users[user.Id] = user;

    /// <summary>Adds or replaces a group.</summary>
    public void SetGroup(FakeGraphGroup group) => _groups[group.Id] = group;

    /// <summary>Calls that read a group's members or owners.</summary>
    public IReadOnlyList<GraphCall> GroupCalls => _calls.Where(c => c.Path.StartsWith("/v1.0/groups/", StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Publishes an app in the organisation's catalog under its manifest id.</summary>
    public void PublishApp(string manifestId, string catalogId = CatalogAppId) => _catalog[manifestId] = catalogId;

    public void FailNext(GraphFailure failure) => _failures.Enqueue(failure);

    public void Reset()
    {
        while (_calls.TryDequeue(out _)) { }
        while (_failures.TryDequeue(out _)) { }
        _users.Clear();
        _catalog.Clear();
        _installedFor.Clear();
        _groups.Clear();
        PageSize = 2;
    }

    private void Map(WebApplication app)
    {
        var v1 = app.MapGroup("/v1.0");
        v1.MapGet("/users", (HttpRequest request) => Answer(request.HttpContext, () => Results.Json(new { value = FilterUsers(request.Query["$filter"].ToString(), request.Query["$top"].ToString()) })));
        v1.MapGet("/users/{id}", (HttpContext http, string id) => Answer(http, () =>
            (_users.GetValueOrDefault(id) ?? _users.Values.FirstOrDefault(u => string.Equals(u.UserPrincipalName, id, StringComparison.OrdinalIgnoreCase))) is { } user
                ? Results.Json(Shape(user))
                : Error(404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.")));
        v1.MapGet("/appCatalogs/teamsApps", (HttpRequest request) => Answer(request.HttpContext, () =>
        {
            var wanted = Conditions(request.Query["$filter"].ToString()).FirstOrDefault(c => c.Property == "externalId")?.Value;
            var apps = wanted is not null && _catalog.TryGetValue(wanted, out var id)
                ? new[] { new { id, externalId = wanted, displayName = "Value management", distributionMethod = "organization" } }
                : [];
            return Results.Json(new { value = apps });
        }));
        v1.MapGet("/groups/{id}/members", (HttpRequest request, string id) => Answer(request.HttpContext, () => GroupPage(request, id, g => g.Members, "members")));
        v1.MapGet("/groups/{id}/owners", (HttpRequest request, string id) => Answer(request.HttpContext, () => GroupPage(request, id, g => g.Owners, "owners")));
        v1.MapPost("/users/{id}/teamwork/installedApps", (HttpContext http, string id) => Answer(http, () =>
        {
            if (!_users.ContainsKey(id)) return Error(404, "NotFound", "User not found.");
            var bind = http.Items["body"] is JsonNode body ? body["teamsApp@odata.bind"]?.GetValue<string>() : null;
            if (bind is null || !_catalog.Values.Any(v => bind.EndsWith("/appCatalogs/teamsApps/" + v, StringComparison.Ordinal)))
                return Error(400, "BadRequest", "teamsApp@odata.bind must name an app in the catalog.");
            if (!_installedFor.TryAdd(id, 0)) return Error(409, "Conflict", "App is already installed.");
            return Results.StatusCode(201);
        }));
    }

    private IResult GroupPage(HttpRequest request, string groupId, Func<FakeGraphGroup, IReadOnlyList<string>> which, string relation)
    {
        if (!_groups.TryGetValue(groupId, out var group))
            return Error(404, "Request_ResourceNotFound", $"Resource '{groupId}' does not exist or one of its queried reference-property objects are not present.");
        var ids = which(group);
        var size = int.TryParse(request.Query["$top"], out var top) && top > 0 ? Math.Min(top, PageSize) : PageSize;
        var skip = int.TryParse(request.Query["$skiptoken"], out var token) ? token : 0;
        var page = ids.Skip(skip).Take(size).Select(id => new Dictionary<string, object?>
        {
            ["@odata.type"] = "#microsoft.graph.user",
            ["id"] = id,
        }).ToList();
        var answer = new Dictionary<string, object?>
        {
            ["@odata.context"] = $"{GraphUrl}/$metadata#directoryObjects",
            ["value"] = page,
        };
        if (skip + size < ids.Count)
            answer["@odata.nextLink"] = $"{GraphUrl}/groups/{groupId}/{relation}?$top={size}&$skiptoken={skip + size}";
        return Results.Json(answer);
    }

    private async Task<IResult> Answer(HttpContext http, Func<IResult> answer)
    {
        JsonNode? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
            body = await JsonNode.ParseAsync(http.Request.Body);
        http.Items["body"] = body;
        var call = new GraphCall(http.Request.Method, http.Request.Path.Value ?? string.Empty, Uri.UnescapeDataString(http.Request.QueryString.Value ?? string.Empty),
            http.Request.Headers.Authorization.ToString(), body);
        _calls.Enqueue(call);

        if (!call.Authorization!.StartsWith("Bearer ", StringComparison.Ordinal) || call.Authorization.Length <= "Bearer ".Length)
            return Error(401, "InvalidAuthenticationToken", "Access token is empty.");
        if (_failures.TryPeek(out var failure) && (failure.Matches?.Invoke(call) ?? true) && _failures.TryDequeue(out failure))
        {
            if (failure.RetryAfter is { } wait)
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Error(failure.Status, failure.Code, "scripted failure");
        }
        return answer();
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message, innerError = new { date = DateTime.UtcNow, requestId = Guid.NewGuid() } } }, statusCode: status);

    private List<Dictionary<string, object?>> FilterUsers(string filter, string top)
    {
        var conditions = Conditions(filter);
        var limit = int.TryParse(top, out var n) ? n : 100;
        return _users.Values
            .Where(u => conditions.Count == 0 || conditions.Any(c => c.Matches(u)))
            .OrderBy(u => u.DisplayName, StringComparer.OrdinalIgnoreCase)
            .Take(limit)
            .Select(Shape)
            .ToList();
    }

    private static Dictionary<string, object?> Shape(FakeGraphUser user) => new()
    {
        ["id"] = user.Id,
        ["displayName"] = user.DisplayName,
        ["userPrincipalName"] = user.UserPrincipalName,
        ["mail"] = user.Mail,
    };

    private sealed record Condition(string Property, string Value, bool StartsWith)
    {
        public bool Matches(FakeGraphUser user)
        {
            var actual = Property switch
            {
                "displayName" => user.DisplayName,
                "userPrincipalName" => user.UserPrincipalName,
                "mail" => user.Mail,
                "id" => user.Id,
                _ => null,
            };
            return actual is not null && (StartsWith
                ? actual.StartsWith(Value, StringComparison.OrdinalIgnoreCase)
                : string.Equals(actual, Value, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>The <c>or</c>-joined <c>p eq 'v'</c> and <c>startswith(p,'v')</c> terms the bot sends.</summary>
    private static List<Condition> Conditions(string filter) =>
        Term().Matches(filter).Select(m => m.Groups["fn"].Success
            ? new Condition(m.Groups["fp"].Value, m.Groups["fv"].Value.Replace("''", "'", StringComparison.Ordinal), StartsWith: true)
            : new Condition(m.Groups["p"].Value, m.Groups["v"].Value.Replace("''", "'", StringComparison.Ordinal), StartsWith: false)).ToList();

    [GeneratedRegex(@"(?<fn>startswith)\((?<fp>\w+),\s*'(?<fv>(?:[^']|'')*)'\)|(?<p>\w+)\s+eq\s+'(?<v>(?:[^']|'')*)'", RegexOptions.IgnoreCase)]
    private static partial Regex Term();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
