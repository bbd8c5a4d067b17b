using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Storage;

namespace ValueManagement.Cli.Tests;

/// <summary>What one in-process run of <c>vm</c> printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public string[] OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}

/// <summary>A folder of temporary files for one test, and <c>vm</c> run in-process against them.</summary>
public sealed class CliWorkspace : IDisposable
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "vm-cli-tests", Guid.NewGuid().ToString("N"));

    public CliWorkspace() => Directory.CreateDirectory(Folder);

    public string DatabasePath => File("data.db");

    public string File(string name) => Path.Combine(Folder, name);

    public string Write(string name, string content)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Write(string name, byte[] content)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    /// <summary>Runs <c>vm</c> with <c>--db</c> set to this workspace's data file.</summary>
    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await VmCli.RunAsync([.. args, "--db", DatabasePath], output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>
    /// Runs <c>vm</c> with the bot's settings plus <paramref name="settings"/> and no <c>--db</c>: the settings go into an
    /// <c>appsettings.{environment}.json</c> of a name of its own beside the tool, chosen with <c>--environment</c>, so
    /// they are read as an operator's would be and no other test sees them.
    /// </summary>
    public async Task<CliResult> RunWithSettingsAsync(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var environment = "clitest" + Guid.NewGuid().ToString("N");
        var file = Path.Combine(AppContext.BaseDirectory, $"appsettings.{environment}.json");
        var json = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in settings)
        {
            var node = json;
            var parts = key.Split(':');
            foreach (var part in parts[..^1]) node = (System.Text.Json.Nodes.JsonObject)(node[part] ??= new System.Text.Json.Nodes.JsonObject());
            node[parts[^1]] = value;
        }
        await System.IO.File.WriteAllTextAsync(file, json.ToJsonString());
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await VmCli.RunAsync([.. args, "--environment", environment], output, error);
            return new CliResult(exit, output.ToString(), error.ToString());
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A stand-in for the running bot: it holds the data file and serves the admin endpoints on 127.0.0.1.</summary>
public sealed class RunningBot : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningBot(WebApplication app, VmDatabase database, string url)
    {
        _app = app;
        Database = database;
        Url = url;
    }

    public VmDatabase Database { get; }
    public string Url { get; }

    public static async Task<RunningBot> StartAsync(string databasePath)
    {
        var database = new VmDatabase(databasePath);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(database);
        builder.Services.AddAdminEndpoints();
        var app = builder.Build();
        app.MapAdminEndpoints();
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningBot(app, database, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Database.Dispose();
    }
}

/// <summary>A port on 127.0.0.1 where nothing listens.</summary>
public static class ClosedPort
{
    public static string Url()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }
}
