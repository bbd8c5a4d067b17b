using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Conversations;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Protocol;

/// <summary>What /api/messages does with odd, hostile or repeated requests: a clear status, never a 500.</summary>
public sealed class RequestHandlingTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    private readonly BotTestEnvironment _environment = environment;
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = _environment.StartHost(new Dictionary<string, string?> { ["Bot:AllowedTenants:0"] = TestActivities.TenantId });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HttpResponseMessage> PostRawAsync(byte[] body, bool sign = true)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (sign) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.ValidToken());
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"message\",\"text\":\"\\ud800\"")]
    [InlineData("{\"type\":\"message\",\"value\":12,\"entities\":\"nope\"}")]
    public async Task MalformedBody_Gets400(string body)
    {
        using var response = await PostRawAsync(Encoding.UTF8.GetBytes(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task InvalidUtf8_Gets400()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"type\":\"message\",\"text\":\"xx\"}");
        bytes[28] = 0xC3; // a lead byte with no continuation
        bytes[29] = 0x28;
        using var response = await PostRawAsync(bytes);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task DeeplyNestedJson_Gets400()
    {
        var nested = "{\"type\":\"message\",\"value\":" + new string('[', 5000) + new string(']', 5000) + "}";
        using var response = await PostRawAsync(Encoding.UTF8.GetBytes(nested));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task BodyOverOneMegabyte_Gets413()
    {
        var activity = _host.Activities.Personal(new string('x', 1024 * 1024 + 10));
        using var response = await _host.SendAsync(activity);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Cloud.Calls);
    }

    [Fact]
    public async Task CommandTextOf100KB_GetsTheHelpCard_NotAnError()
    {
        var activity = _host.Activities.Personal("report " + new string('7', 100 * 1024));
        using var response = await _host.SendAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _host.Cloud.WaitForCallsAsync(1);
    }

    [Fact]
    public async Task MissingType_Gets400()
    {
        var activity = _host.Activities.Personal("help");
        activity.Remove("type");
        using var response = await _host.SendAsync(activity);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task UnknownActivityType_Gets200_AndIsIgnored()
    {
        var activity = _host.Activities.Personal("help");
        activity["type"] = "somethingTeamsInventsNextYear";
        using var response = await _host.SendAsync(activity);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Task.Delay(100);
        Assert.Empty(_host.Cloud.Calls);
    }

    [Fact]
    public async Task RepeatedActivityId_IsProcessedOnce()
    {
        var activity = _host.Activities.Personal("help");
        using (var first = await _host.SendAsync(activity)) Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var second = await _host.SendAsync(activity)) Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        await Task.Delay(200);
        Assert.Single(_host.Cloud.Calls);
    }

    [Fact]
    public async Task TenantNotAllowed_Gets403_AndNothingIsProcessed()
    {
        var activity = _host.Activities.InstallPersonal(TestUser.Stranger);
        activity["channelData"]!["tenant"]!["id"] = "99999999-9999-9999-9999-999999999999";
        activity["conversation"]!["tenantId"] = "99999999-9999-9999-9999-999999999999";

        using var response = await _host.SendAsync(activity);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Null(_host.Services.GetRequiredService<ConversationStore>().Find(activity["conversation"]!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UntrustedServiceUrl_IsRefused_EvenWithAMatchingToken()
    {
        var activity = _host.Activities.Personal("help");
        activity["serviceUrl"] = "https://evil.example.com/amer/";
        using var response = await _host.SendAsync(activity);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GetOnTheEndpoint_Gets405()
    {
        using var client = _host.CreateClient();
        using var response = await client.GetAsync("/api/messages");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_AnswerOk()
    {
        using var client = _host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
    }
}
