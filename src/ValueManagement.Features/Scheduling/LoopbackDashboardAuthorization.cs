using System.Net;
using Hangfire.Dashboard;

namespace ValueManagement.Features.Scheduling;

/// <summary>The Hangfire dashboard answers only on the machine itself (ssh tunnel or a local browser).</summary>
public sealed class LoopbackDashboardAuthorization : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var remote = http.Connection.RemoteIpAddress;
        return remote is not null && IPAddress.IsLoopback(remote);
    }
}
