using System.Net;
using Microsoft.Extensions.Options;
using ValueManagement.Teams.Hosting;

namespace ValueManagement.Teams.Connector;

/// <summary>
/// The bot's token goes only to Connector hosts that Teams uses (configurable), over https. In local
/// development, plain http is allowed to a loopback address (Agents Playground).
/// </summary>
public sealed class ServiceUrlPolicy(IOptionsMonitor<BotOptions> options)
{
    public bool IsTrusted(string? serviceUrl, out string reason)
    {
        reason = string.Empty;
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri))
        {
            reason = "the serviceUrl is not an absolute URL";
            return false;
        }

        var bot = options.CurrentValue;
        if (uri.Scheme == Uri.UriSchemeHttp && bot.AllowUnauthenticatedLocalRequests && IsLoopback(uri))
            return true;

        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            reason = "the serviceUrl is not https";
            return false;
        }

        if (!bot.TrustedServiceUrlHosts.Any(host => HostMatches(uri.Host, host)))
        {
            reason = $"the serviceUrl host '{uri.Host}' is not in Bot:TrustedServiceUrlHosts";
            return false;
        }

        return true;
    }

    public void EnsureTrusted(string serviceUrl)
    {
        if (!IsTrusted(serviceUrl, out var reason))
            throw new ConnectorException(null, "UntrustedServiceUrl", $"Refusing to call {serviceUrl}: {reason}.", ConnectorFailureKind.Permanent);
    }

    private static bool HostMatches(string host, string trusted) =>
        string.Equals(host, trusted, StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("." + trusted, StringComparison.OrdinalIgnoreCase);

    public static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
