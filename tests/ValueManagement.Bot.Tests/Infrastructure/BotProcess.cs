using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Infrastructure;

/// <summary>
/// The bot as its own operating-system process (the built ValueManagement.Bot.dll under <c>dotnet</c>),
/// on 127.0.0.1, in Production mode, pointed at the fake cloud. For what an in-process host cannot
/// show: a SIGKILL, with the file left as the kernel leaves it.
/// </summary>
/// <remarks>
/// The child trusts the fake cloud's self-signed certificate through <c>SSL_CERT_FILE</c>, which .NET on
/// Linux reads as OpenSSL does; nothing in the bot changes for the test.
/// </remarks>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _client;

    private BotProcess(Process process, Uri baseAddress, FakeBotFrameworkCloud cloud)
    {
        _process = process;
        _client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Cloud = cloud;
        Activities = new TestActivities(cloud.ServiceUrl, BotTestHost.AppId);
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
    }

    public FakeBotFrameworkCloud Cloud { get; }
    public TestActivities Activities { get; }
    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <param name="settings">More settings, as environment variables (<c>Section__Key</c>). Hangfire is off unless they turn it on (<c>Scheduling__Enabled</c>).</param>
    public static async Task<BotProcess> StartAsync(FakeBotFrameworkCloud cloud, string databasePath, string workingDirectory, IDictionary<string, string>? settings = null)
    {
        Directory.CreateDirectory(workingDirectory);
        var certificateFile = Path.Combine(workingDirectory, "fake-cloud.pem");
        await File.WriteAllTextAsync(certificateFile, TestCertificate.Certificate.ExportCertificatePem());
        var port = FreePort();

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ValueManagement.Bot.dll"));
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["SSL_CERT_FILE"] = certificateFile,
            ["SSL_CERT_DIR"] = workingDirectory,
            ["MicrosoftAppId"] = BotTestHost.AppId,
            ["MicrosoftAppPassword"] = BotTestHost.AppPassword,
            ["MicrosoftAppType"] = "MultiTenant",
            ["ToBotFromChannelOpenIdMetadataUrl"] = cloud.OpenIdMetadataUrl,
            ["ToChannelFromBotLoginUrl"] = cloud.LoginUrl,
            ["ValidateAuthority"] = "false",
            ["Bot__TrustedServiceUrlHosts__0"] = "127.0.0.1",
            ["Storage__LiteDb__Path"] = databasePath,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Scheduling__Enabled"] = "false",
            ["Scheduling__SqlitePath"] = Path.Combine(workingDirectory, "jobs.db"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var bot = new BotProcess(process, new Uri($"http://127.0.0.1:{port}"), cloud);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await bot.WaitUntilReadyAsync();
        return bot;
    }

    /// <summary>Posts an activity signed with a valid token for the fake cloud.</summary>
    public async Task<HttpResponseMessage> SendAsync(JsonNode activity, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create(Cloud.PrimaryKey, new TestTokenSpec
        {
            Audience = BotTestHost.AppId,
            ServiceUrl = Cloud.ServiceUrl,
        }));
        return await _client.SendAsync(request, cancellationToken);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, no disposal.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a service manager stops the bot: it finishes its turns and closes the file.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await KillAsync();
        }
        finally
        {
            _client.Dispose();
            _process.Dispose();
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The bot exited with {_process.ExitCode} while starting:\n{Output}");
            try
            {
                using var response = await _client.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The bot did not answer /readyz within 60 s:\n{Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
