using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ValueManagement.Features.Graph;

namespace ValueManagement.Features.People;

/// <summary>The result of looking a person up by what someone typed.</summary>
public abstract record PersonSearch
{
    public sealed record Found(NamedPerson Person) : PersonSearch;
    public sealed record Ambiguous(IReadOnlyList<NamedPerson> Candidates) : PersonSearch;
    public sealed record NotFound(string Text) : PersonSearch;
    /// <summary>Graph is off or failed: <see cref="Message"/> says why, for the admin or coach who asked.</summary>
    public sealed record Failed(string Message) : PersonSearch;
}

/// <summary>Whether the bot is installed in a person's personal scope, so the weekly prompt can reach them.</summary>
public sealed record BotInstallation(bool Installed, string Message);

/// <summary>People as Microsoft Entra knows them, and the bot's installation for them, through Microsoft Graph.</summary>
public interface IPeopleDirectory
{
    bool Enabled { get; }
    Task<PersonSearch> FindAsync(string text, CancellationToken cancellationToken);
    Task<BotInstallation> InstallBotForAsync(NamedPerson person, CancellationToken cancellationToken);
}

/// <summary>
/// Finds a user by email or UPN (exact), or by display name (exact, then starting with), and installs
/// the bot for a user in personal scope (Teams app installation for a user). The catalog id of the
/// app is configured or looked up once by the manifest id.
/// </summary>
public sealed class GraphPeopleDirectory(GraphServiceClient graph, IOptions<GraphOptions> options, ILogger<GraphPeopleDirectory> logger) : IPeopleDirectory
{
    public const string ReadUsersPermission = "User.Read.All";
    public const string InstallPermission = "TeamsAppInstallation.ReadWriteSelfForUser.All";
    public const string CatalogPermission = "AppCatalog.Read.All";

    private static readonly string[] UserFields = ["id", "displayName", "mail", "userPrincipalName"];
    private string? _catalogAppId;

    public bool Enabled => options.Value.Enabled;

    public async Task<PersonSearch> FindAsync(string text, CancellationToken cancellationToken)
    {
        var typed = text.Trim();
        if (typed.Length == 0) return new PersonSearch.NotFound(text);
        if (!Enabled) return new PersonSearch.Failed("I can't look people up by name or email because Microsoft Graph isn't set up (Graph:TenantId). @mention the person, or give their Entra object id.");

        var quoted = Quote(typed);
        try
        {
            if (Guid.TryParse(typed, out var objectId))
                return await FindByIdAsync(objectId.ToString(), cancellationToken);
            if (typed.Contains('@', StringComparison.Ordinal))
                return Choose(typed, await SearchAsync($"userPrincipalName eq '{quoted}' or mail eq '{quoted}'", cancellationToken));

            var exact = await SearchAsync($"displayName eq '{quoted}'", cancellationToken);
            if (exact.Count > 0) return Choose(typed, exact);
            return Choose(typed, await SearchAsync($"startswith(displayName,'{quoted}')", cancellationToken));
        }
        catch (Exception exception) when (GraphFailures.IsExpected(exception))
        {
            logger.LogWarning(exception, "Graph user lookup failed");
            return new PersonSearch.Failed(GraphFailures.Describe(exception, ReadUsersPermission));
        }
    }

    public async Task<BotInstallation> InstallBotForAsync(NamedPerson person, CancellationToken cancellationToken)
    {
        if (!Enabled) return new BotInstallation(false, "Microsoft Graph isn't set up, so I couldn't install the bot for them: they need to open a chat with me once before I can message them.");
        var settings = options.Value;
        string? catalogId;
        try
        {
            catalogId = _catalogAppId ??= settings.TeamsAppId ?? await FindCatalogAppAsync(settings.ManifestId ?? settings.ClientId!, cancellationToken);
        }
        catch (Exception exception) when (GraphFailures.IsExpected(exception))
        {
            logger.LogWarning(exception, "Graph app catalog lookup failed");
            return new BotInstallation(false, GraphFailures.Describe(exception, CatalogPermission));
        }
        if (catalogId is null)
            return new BotInstallation(false, "The app isn't in your organisation's Teams app catalog, so I couldn't install it for them. An admin can publish it (Teams admin centre → Manage apps) or set Graph:TeamsAppId.");

        try
        {
            var installation = new UserScopeTeamsAppInstallation
            {
                AdditionalData = new Dictionary<string, object> { ["teamsApp@odata.bind"] = $"{settings.BaseUrl.TrimEnd('/')}/appCatalogs/teamsApps/{catalogId}" },
            };
            await graph.Users[person.AadObjectId].Teamwork.InstalledApps.PostAsync(installation, cancellationToken: cancellationToken);
            return new BotInstallation(true, $"I've installed the bot in {person.DisplayName}'s personal chat, so the weekly prompt can reach them.");
        }
        catch (Exception exception) when (GraphFailures.IsConflict(exception))
        {
            return new BotInstallation(true, $"{person.DisplayName} already has the bot in personal chat.");
        }
        catch (Exception exception) when (GraphFailures.IsNotFound(exception))
        {
            return new BotInstallation(false, $"Microsoft Graph has no user with the id {person.AadObjectId}, so I couldn't install the bot for them.");
        }
        catch (Exception exception) when (GraphFailures.IsExpected(exception))
        {
            logger.LogWarning(exception, "Graph app installation failed");
            return new BotInstallation(false, GraphFailures.Describe(exception, InstallPermission));
        }
    }

    private async Task<string?> FindCatalogAppAsync(string manifestId, CancellationToken cancellationToken)
    {
        var apps = await graph.AppCatalogs.TeamsApps.GetAsync(request =>
        {
            request.QueryParameters.Filter = $"externalId eq '{Quote(manifestId)}'";
        }, cancellationToken);
        return apps?.Value?.FirstOrDefault()?.Id;
    }

    private async Task<PersonSearch> FindByIdAsync(string objectId, CancellationToken cancellationToken)
    {
        try
        {
            var user = await graph.Users[objectId].GetAsync(request => request.QueryParameters.Select = UserFields, cancellationToken);
            return user?.Id is null ? new PersonSearch.NotFound(objectId) : new PersonSearch.Found(ToPerson(user));
        }
        catch (Exception exception) when (GraphFailures.IsNotFound(exception))
        {
            return new PersonSearch.NotFound(objectId);
        }
    }

    private static NamedPerson ToPerson(User u) =>
        new(u.Id!, string.IsNullOrWhiteSpace(u.DisplayName) ? u.UserPrincipalName ?? u.Id! : u.DisplayName!, u.Mail ?? u.UserPrincipalName);

    private async Task<IReadOnlyList<NamedPerson>> SearchAsync(string filter, CancellationToken cancellationToken)
    {
        var users = await graph.Users.GetAsync(request =>
        {
            request.QueryParameters.Filter = filter;
            request.QueryParameters.Select = UserFields;
            request.QueryParameters.Top = 6;
        }, cancellationToken);
        return (users?.Value ?? [])
            .Where(u => !string.IsNullOrEmpty(u.Id))
            .Select(ToPerson)
            .ToList();
    }

    private static PersonSearch Choose(string typed, IReadOnlyList<NamedPerson> people) => people.Count switch
    {
        0 => new PersonSearch.NotFound(typed),
        1 => new PersonSearch.Found(people[0]),
        _ => new PersonSearch.Ambiguous(people),
    };

    /// <summary>OData string literals double their single quotes.</summary>
    private static string Quote(string text) => text.Replace("'", "''", StringComparison.Ordinal);
}
