using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Capture;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Admin;

/// <summary>What the <c>vm</c> tool and the admin endpoints agree on.</summary>
public static class AdminProtocol
{
    /// <summary>
    /// Every admin request carries this header (any value). A browser cannot send it to another
    /// site without a CORS preflight, which the bot never answers, so a web page open on the
    /// server cannot drive the admin endpoints.
    /// </summary>
    public const string ClientHeader = "X-Vm-Admin";

    /// <summary>Who runs the command on the server (their user name), for the audit trail.</summary>
    public const string UserHeader = "X-Vm-User";

    /// <summary>The backup's path relative to the data folder, on the response of <c>POST /admin/backup</c>.</summary>
    public const string BackupHeader = "X-Vm-Backup";

    /// <summary>The largest file the import endpoints accept.</summary>
    public const long MaxUploadBytes = 20 * 1024 * 1024;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The headers a proxy adds when it relays a request; an admin request must not have any.</summary>
    public static IReadOnlyList<string> ForwardingHeaders { get; } =
        ["Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Prefix", "X-Real-IP", "X-Original-For", "X-Original-Host", "X-Original-Proto"];
}

/// <summary>
/// Operations an operator needs while the bot holds the data file (one writer per file): a
/// consistent backup, a team setup import and a measures import, plus the two exports. They answer
/// only on the machine itself: the caller must be on loopback, with a loopback Host, no proxy's
/// forwarding headers (they are never trusted, and their presence means a proxy relayed the
/// request) and the <see cref="AdminProtocol.ClientHeader"/>; anything else gets 403.
/// </summary>
/// <remarks>Do not route <c>/admin</c> through a reverse proxy: a proxy on the same machine that adds no forwarding headers would make a remote caller look local.</remarks>
public static partial class AdminEndpoints
{
    /// <summary>Maps <c>/admin/backup</c>, <c>/admin/teams/import|export</c>, <c>/admin/measures/import|export</c> and <c>/admin/status</c>.</summary>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin").AddEndpointFilter(async (context, next) =>
        {
            var refusal = Refusal(context.HttpContext);
            if (refusal is null) return await next(context);
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AdminEndpoints).FullName!);
            LogRefused(logger, context.HttpContext.Request.Path, context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal);
            return Results.Problem(title: "The admin endpoints answer only on this machine.", detail: refusal, statusCode: StatusCodes.Status403Forbidden);
        });

        admin.MapPost("/backup", Backup);
        admin.MapPost("/teams/import", ImportTeams);
        admin.MapGet("/teams/export", ExportTeams);
        admin.MapPost("/measures/import", ImportMeasures);
        admin.MapGet("/measures/export", ExportMeasures);
        admin.MapGet("/status", Status);
        return endpoints;
    }

    /// <summary>Why a request may not use the admin endpoints; null when it may.</summary>
    public static string? Refusal(HttpContext context)
    {
        if (LocalMachineRefusal(context) is { } refusal) return refusal;
        if (!context.Request.Headers.ContainsKey(AdminProtocol.ClientHeader)) return $"the request lacks the {AdminProtocol.ClientHeader} header the vm tool sends";
        return null;
    }

    /// <summary>
    /// Why a request is not from this machine to this machine (a remote caller, a proxy's forwarding
    /// headers, or a Host other than localhost, as DNS rebinding gives); null when it is. Shared by the
    /// operator pages (the Hangfire dashboard), which a browser opens and so cannot add the vm header.
    /// </summary>
    public static string? LocalMachineRefusal(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null) return "the caller's address is unknown";
        if (remote.IsIPv4MappedToIPv6) remote = remote.MapToIPv4();
        if (!IPAddress.IsLoopback(remote)) return $"the caller ({remote}) is not on this machine";
        var forwarded = AdminProtocol.ForwardingHeaders.FirstOrDefault(h => context.Request.Headers.ContainsKey(h));
        if (forwarded is not null) return $"the request came through a proxy ({forwarded})";
        var host = context.Request.Host.Host;
        if (!(host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))))
            return $"the request is addressed to {host}, not to this machine (localhost)";
        return null;
    }

    private static IResult Backup(DatabaseBackup backup)
    {
        BackupResult result;
        try
        {
            result = backup.WriteToBackupsFolder();
        }
        catch (InvalidOperationException e)
        {
            return Results.Problem(title: "No backup was written.", detail: e.Message, statusCode: StatusCodes.Status409Conflict);
        }
        var relative = Path.Combine("backups", Path.GetFileName(result.Path));
        return new BackupFileResult(result.Path, relative);
    }

    private static async Task<IResult> ImportTeams(HttpRequest request, TeamSetupImporter importer, string? file, bool? check)
    {
        var body = await ReadBody(request);
        if (body is null) return TooLarge();
        var name = FileName(file, "teams.json");
        var report = check == true ? importer.Check(body, name) : importer.Import(body, name, ActorFor(request, "teams import"));
        return Results.Json(report, AdminProtocol.Json, statusCode: report.Valid ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult ExportTeams(TeamSetupExporter exporter) =>
        Results.Bytes(exporter.Export(), "application/json; charset=utf-8");

    private static async Task<IResult> ImportMeasures(HttpRequest request, MeasureCsvImporter importer, string? file, bool? check, bool? allowEntered)
    {
        var body = await ReadBody(request);
        if (body is null) return TooLarge();
        var report = importer.Import(body, FileName(file, "measures.csv"), new MeasureImportOptions(check == true, allowEntered == true), UserOf(request));
        return Results.Json(report, AdminProtocol.Json, statusCode: report.Valid ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    private static IResult ExportMeasures(MeasureCsvExporter exporter, TeamDirectory directory, string[]? team, string? from, string? to)
    {
        var teams = new List<string>();
        foreach (var text in team ?? [])
        {
            if (directory.Resolve(text) is not Core.Organisation.TeamLookup.Found found || !SameTeam(text, found.Team))
                return Results.Problem(title: "Unknown team.", detail: $"There is no team \"{text}\": give its id, name or an alias.", statusCode: StatusCodes.Status400BadRequest);
            teams.Add(found.Team.Id);
        }
        if (BadWeek(from, out var first) is { } badFrom) return badFrom;
        if (BadWeek(to, out var last) is { } badTo) return badTo;
        return Results.Bytes(exporter.Export(teams, first, last), "text/csv; charset=utf-8");
    }

    /// <summary>A 400 when <paramref name="text"/> is given but is not a week; null otherwise.</summary>
    private static IResult? BadWeek(string? text, out IsoWeek? week)
    {
        week = null;
        if (text is null) return null;
        if (!IsoWeek.TryParse(text, out var parsed, out var error))
            return Results.Problem(title: "Not a week.", detail: error, statusCode: StatusCodes.Status400BadRequest);
        week = parsed;
        return null;
    }

    /// <summary>Whether the text names the team exactly (id, name or alias), not by a typo the resolver forgave.</summary>
    public static bool SameTeam(string text, Core.Organisation.TeamProfile team) =>
        string.Equals(text.Trim(), team.Id, StringComparison.OrdinalIgnoreCase)
        || team.Names.Any(n => Core.Organisation.TeamNameResolver.Normalise(n) == Core.Organisation.TeamNameResolver.Normalise(text));

    private static async Task<byte[]?> ReadBody(HttpRequest request)
    {
        if (request.ContentLength > AdminProtocol.MaxUploadBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > AdminProtocol.MaxUploadBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static IResult TooLarge() => Results.Problem(
        title: "The file is too large.", detail: $"The admin endpoints take files of up to {AdminProtocol.MaxUploadBytes / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The file's name as the caller gave it, without any folder, for messages and the importer's name.</summary>
    private static string FileName(string? given, string fallback)
    {
        var name = string.IsNullOrWhiteSpace(given) ? fallback : Path.GetFileName(given.Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).Take(100).ToArray());
        return string.IsNullOrWhiteSpace(name) ? fallback : name;
    }

    private static string UserOf(HttpRequest request)
    {
        var given = request.Headers[AdminProtocol.UserHeader].ToString();
        var user = new string(given.Where(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or '\\').Take(64).ToArray());
        return user.Length == 0 ? "unknown user" : user;
    }

    private static Actor ActorFor(HttpRequest request, string command)
    {
        var user = UserOf(request);
        return new Actor($"vm:{user}", $"{user} (vm {command}, through the bot)");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an admin request to {Path} from {Remote}: {Reason}.")]
    private static partial void LogRefused(ILogger logger, string path, string remote, string reason);

    /// <summary>Streams the backup file, with its name in <see cref="AdminProtocol.BackupHeader"/>.</summary>
    private sealed class BackupFileResult(string path, string relative) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[AdminProtocol.BackupHeader] = relative.Replace('\\', '/');
            return Results.File(path, "application/octet-stream", Path.GetFileName(path)).ExecuteAsync(httpContext);
        }
    }
}

public static class AdminServiceCollectionExtensions
{
    /// <summary>
    /// What the admin endpoints (<see cref="AdminEndpoints.MapAdminEndpoints"/>) use: the stores,
    /// the importers and exporters, and the backup. Stores already registered elsewhere are kept
    /// (one <see cref="SubmissionStore"/> for the whole bot, so its writer lock is shared). Needs the
    /// storage (<c>AddValueManagementStorage</c>).
    /// </summary>
    public static IServiceCollection AddAdminEndpoints(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDocumentDatabase>(p => p.GetRequiredService<VmDatabase>());
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton<TeamDirectory>();
        services.TryAddSingleton<MeasureSetStore>();
        services.TryAddSingleton<SubmissionStore>();
        services.TryAddSingleton<TeamSetupImporter>();
        services.TryAddSingleton<TeamSetupExporter>();
        services.TryAddSingleton<MeasureCsvImporter>();
        services.TryAddSingleton<MeasureCsvExporter>();
        services.TryAddSingleton<DatabaseBackup>();
        return services;
    }
}
