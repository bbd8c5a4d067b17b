using Microsoft.Extensions.Options;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Hosting;

namespace ValueManagement.Teams.Tests.Connector;

public sealed class ServiceUrlPolicyTests
{
    private sealed class Monitor(BotOptions value) : IOptionsMonitor<BotOptions>
    {
        public BotOptions CurrentValue => value;
        public BotOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<BotOptions, string?> listener) => null;
    }

    private static ServiceUrlPolicy Policy(bool localMode = false) => new(new Monitor(new BotOptions { AllowUnauthenticatedLocalRequests = localMode }));

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer/", true)]
    [InlineData("https://smba.trafficmanager.net/emea/72f988bf-86f1-41af-91ab-2d7cd011db47/", true)]
    [InlineData("https://smba.infra.gcc.teams.microsoft.com/gcc", true)]
    [InlineData("http://smba.trafficmanager.net/amer/", false)]
    [InlineData("https://smba.trafficmanager.net.evil.example/amer/", false)]
    [InlineData("https://evilsmba.trafficmanager.net/", false)]
    [InlineData("https://127.0.0.1:56150/_connector", false)]
    [InlineData("not a url", false)]
    [InlineData(null, false)]
    public void OnlyTeamsHostsOverHttps_AreTrusted(string? url, bool trusted) =>
        Assert.Equal(trusted, Policy().IsTrusted(url, out _));

    [Theory]
    [InlineData("http://127.0.0.1:56150/_connector", true)]
    [InlineData("http://localhost:56150/_connector", true)]
    [InlineData("http://[::1]:56150/_connector", true)]
    [InlineData("http://10.0.0.5:56150/_connector", false)]
    public void LocalDevelopment_AllowsPlainHttpOnLoopbackOnly(string url, bool trusted) =>
        Assert.Equal(trusted, Policy(localMode: true).IsTrusted(url, out _));
}
