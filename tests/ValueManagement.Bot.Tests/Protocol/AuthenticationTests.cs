using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Conversations;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Protocol;

/// <summary>Inbound authentication, rule by rule (docs/bot-protocol.md 1.1): a bad token gets 401 and nothing is processed.</summary>
public sealed class AuthenticationTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    private readonly BotTestEnvironment _environment = environment;
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = _environment.StartHost();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ValidToken_IsAccepted_AndTheReplyCarriesTheTokenFromTheConfiguredEndpoint()
    {
        var activity = _host.Activities.Personal("help");

        using var response = await _host.SendAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        Assert.Equal("Bearer " + FakeBotFrameworkCloud.ConnectorAccessToken, call.Authorization);
        var tokenRequest = Assert.Single(_host.Cloud.TokenRequests);
        Assert.Equal("client_credentials", tokenRequest["grant_type"]);
        Assert.Equal(BotTestHost.AppId, tokenRequest["client_id"]);
        Assert.Equal("https://api.botframework.com/.default", tokenRequest["scope"]);
    }

    public static TheoryData<string> RejectedCases =>
    [
        "no header", "wrong scheme", "lower-case scheme", "expired", "not yet valid", "wrong issuer", "wrong audience",
        "unknown key", "signed by another key", "alg none", "serviceurl differs", "no serviceurl claim", "key not endorsed for msteams",
        "garbage token", "HS256 with the public key",
    ];

    [Theory]
    [MemberData(nameof(RejectedCases))]
    public async Task BadToken_Gets401_AndNothingIsProcessed(string scenario)
    {
        var activity = _host.Activities.InstallPersonal(TestUser.NurseJones);
        var serviceUrl = activity["serviceUrl"]!.GetValue<string>();
        var valid = new TestTokenSpec { Audience = BotTestHost.AppId, ServiceUrl = serviceUrl };
        var key = _host.Cloud.PrimaryKey;
        string? authorization = scenario switch
        {
            "no header" => null,
            "wrong scheme" => "Basic " + TestTokens.Create(key, valid),
            "lower-case scheme" => "bearer " + TestTokens.Create(key, valid),
            "expired" => Bearer(TestTokens.Create(key, valid with { NotBefore = DateTimeOffset.UtcNow.AddHours(-2), Expires = DateTimeOffset.UtcNow.AddMinutes(-6) })),
            "not yet valid" => Bearer(TestTokens.Create(key, valid with { NotBefore = DateTimeOffset.UtcNow.AddMinutes(6), Expires = DateTimeOffset.UtcNow.AddHours(1) })),
            "wrong issuer" => Bearer(TestTokens.Create(key, valid with { Issuer = "https://sts.windows.net/" + TestActivities.TenantId + "/" })),
            "wrong audience" => Bearer(TestTokens.Create(key, valid with { Audience = Guid.NewGuid().ToString() })),
            "unknown key" => Bearer(TestTokens.Create(new TestSigningKey("never-published", "msteams"), valid)),
            "signed by another key" => Bearer(ReKeyed(TestTokens.Create(_host.Cloud.Keys[1], valid), key.Kid)),
            "alg none" => Bearer(TestTokens.CreateUnsigned(valid, key.Kid)),
            "serviceurl differs" => Bearer(TestTokens.Create(key, valid with { ServiceUrl = "https://smba.trafficmanager.net/emea/" })),
            "no serviceurl claim" => Bearer(TestTokens.Create(key, valid with { IncludeServiceUrlClaim = false })),
            "key not endorsed for msteams" => Bearer(TestTokens.Create(UnendorsedKey(), valid)),
            "garbage token" => "Bearer not-a-jwt",
            "HS256 with the public key" => Bearer(HmacWithPublicKey(valid, key)),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };

        using var response = await _host.SendAsync(activity, authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await Task.Delay(100);
        Assert.Empty(_host.Cloud.Calls);
        var conversations = _host.Services.GetRequiredService<ConversationStore>();
        Assert.Null(conversations.Find(activity["conversation"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RotatedKey_IsFetchedOnce_ThenAccepted()
    {
        var rotated = new TestSigningKey("rotated-key", "msteams");
        var activity = _host.Activities.Personal("help");
        using (var first = await _host.SendAsync(activity)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var fetchesBefore = _host.Cloud.JwksFetches;

        _host.Cloud.ExtraPublishedKeys.Add(rotated);
        var next = _host.Activities.Personal("help");
        var token = TestTokens.Create(rotated, new TestTokenSpec { Audience = BotTestHost.AppId, ServiceUrl = _host.Cloud.ServiceUrl });
        using var response = await _host.SendAsync(next, "Bearer " + token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fetchesBefore + 1, _host.Cloud.JwksFetches);
    }

    [Fact]
    public async Task UnknownKeys_DoNotRefetchTheKeysMoreThanOnceInFiveMinutes()
    {
        using (var first = await _host.SendAsync(_host.Activities.Personal("help"))) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var fetches = _host.Cloud.JwksFetches;

        for (var i = 0; i < 5; i++)
        {
            var token = TestTokens.Create(new TestSigningKey($"attacker-{i}", "msteams"), new TestTokenSpec { Audience = BotTestHost.AppId, ServiceUrl = _host.Cloud.ServiceUrl });
            using var response = await _host.SendAsync(_host.Activities.Personal("help"), "Bearer " + token);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.True(_host.Cloud.JwksFetches <= fetches + 1, $"JWKS fetched {_host.Cloud.JwksFetches - fetches} times for 5 unknown keys");
    }

    [Fact]
    public async Task ReusedToken_IsAccepted()
    {
        // Teams reuses a valid token for up to an hour: reuse must never be refused.
        var token = _host.ValidToken();
        for (var i = 0; i < 3; i++)
        {
            using var response = await _host.SendAsync(_host.Activities.Personal("help"), "Bearer " + token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    private static string Bearer(string token) => "Bearer " + token;

    private TestSigningKey UnendorsedKey()
    {
        var key = new TestSigningKey("skype-only", "skype");
        _host.Cloud.ExtraPublishedKeys.Add(key);
        return key;
    }

    /// <summary>A token signed by one key but claiming (in its header) to be signed by the published one.</summary>
    private static string ReKeyed(string token, string kid)
    {
        var parts = token.Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!;
        header["kid"] = kid;
        return Base64UrlEncoder.Encode(header.ToJsonString()) + "." + parts[1] + "." + parts[2];
    }

    /// <summary>The classic algorithm-confusion attack: HMAC keyed with the RSA public key.</summary>
    private static string HmacWithPublicKey(TestTokenSpec spec, TestSigningKey key)
    {
        var publicBytes = key.Rsa.ExportSubjectPublicKeyInfo();
        var hmacKey = new SymmetricSecurityKey(publicBytes) { KeyId = key.Kid };
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer,
            Audience = spec.Audience,
            Claims = new Dictionary<string, object> { ["serviceurl"] = spec.ServiceUrl! },
            Expires = DateTime.UtcNow.AddMinutes(30),
            SigningCredentials = new SigningCredentials(hmacKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
