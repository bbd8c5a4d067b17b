using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Features.Admin;

namespace ValueManagement.Features.Scheduling;

/// <summary>
/// The Hangfire dashboard keeps the rules of <c>/admin</c>: a caller on this machine, addressed as
/// localhost (no DNS rebinding), with no proxy's forwarding headers. Anything else gets 403 and a log
/// line, before Hangfire sees the request. The dashboard is read-only (see <see cref="SchedulingServiceCollectionExtensions.MapSchedulingDashboard"/>).
/// </summary>
public static partial class DashboardAccess
{
    /// <summary>Wraps the dashboard's endpoint: refused requests never reach Hangfire.</summary>
    public static RequestDelegate Guard(RequestDelegate dashboard) => async context =>
    {
        if (AdminEndpoints.LocalMachineRefusal(context) is not { } refusal)
        {
            await dashboard(context).ConfigureAwait(false);
            return;
        }
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardAccess).FullName!);
        LogRefused(logger, context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal);
        await Results.Problem(title: "The jobs dashboard answers only on this machine.", detail: refusal, statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(context).ConfigureAwait(false);
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Jobs dashboard request {Method} {Path} from {Remote} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string remote, string reason);

    /// <summary>Hangfire's own check, the same rules (in case the dashboard is ever mapped without <see cref="Guard"/>).</summary>
    public sealed class LocalMachineOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => AdminEndpoints.LocalMachineRefusal(context.GetHttpContext()) is null;
    }
}
