using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Tests.Admin;

/// <summary>
/// The admin endpoints on Kestrel at 127.0.0.1 (a real socket). A test seam sets the connection's
/// remote address from <see cref="RemoteAddressHeader"/>, to play a caller on another machine; it
/// runs before the (optional) forwarded-headers middleware, as the socket would.
/// </summary>
public sealed class AdminHost : IAsyncDisposable
{
    public const string RemoteAddressHeader = "X-Test-Remote-Address";

    private readonly WebApplication _app;

    private AdminHost(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public static async Task<AdminHost> StartAsync(VmDatabase database, TimeProvider time, bool trustForwardedHeaders = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(time);
        builder.Services.AddAdminEndpoints();
        if (trustForwardedHeaders)
        {
            builder.Services.Configure<ForwardedHeadersOptions>(options =>
            {
                options.ForwardedHeaders = ForwardedHeaders.All;
                options.KnownIPNetworks.Clear();
                options.KnownProxies.Clear();
            });
        }
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Headers.TryGetValue(RemoteAddressHeader, out var remote))
                context.Connection.RemoteIpAddress = IPAddress.Parse(remote.ToString());
            return next(context);
        });
        if (trustForwardedHeaders) app.UseForwardedHeaders();
        app.MapAdminEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdminHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
