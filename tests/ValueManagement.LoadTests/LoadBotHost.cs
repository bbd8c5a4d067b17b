extern alias BotHost;

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.LoadTests;

/// <summary>
/// The real bot host for the load programs, configured as in production against the fake cloud, with
/// Hangfire off; call <c>UseKestrel</c> and <c>StartServer</c> for real HTTP on 127.0.0.1.
/// </summary>
internal sealed class LoadBotHost(FakeBotFrameworkCloud cloud, string databasePath) : WebApplicationFactory<BotHost::Program>
{
    public const string AppId = "6d7a1e2c-5b4f-4c3d-9e8f-0a1b2c3d4e5f";
    public const string AppPassword = "test-app-secret";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = AppPassword,
            ["MicrosoftAppType"] = "MultiTenant",
            ["ToBotFromChannelOpenIdMetadataUrl"] = cloud.OpenIdMetadataUrl,
            ["ToChannelFromBotLoginUrl"] = cloud.LoginUrl,
            ["ValidateAuthority"] = "false",
            ["Bot:TrustedServiceUrlHosts:0"] = "127.0.0.1",
            ["Storage:LiteDb:Path"] = databasePath,
            ["Scheduling:Enabled"] = "false",
            ["Scheduling:Storage"] = "InMemory",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
            services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(TestCertificate.TrustingHandler)));
    }
}
