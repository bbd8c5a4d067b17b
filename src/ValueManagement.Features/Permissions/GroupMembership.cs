using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using ValueManagement.Features.Graph;

namespace ValueManagement.Features.Permissions;

/// <summary>The Entra object ids of a Microsoft 365 group's members and owners.</summary>
/// <remarks>Teams lists a team's owners among its members too; an owner who is not a member (possible for a group made outside Teams) counts only as an owner.</remarks>
public sealed record GroupMembership(IReadOnlySet<string> Members, IReadOnlySet<string> Owners);

/// <summary>Reads a group's members and owners; throws what Graph (or the network) threw.</summary>
public interface IGroupMembershipSource
{
    Task<GroupMembership> ReadAsync(string groupId, CancellationToken cancellationToken);
}

/// <summary><c>GET /groups/{id}/members</c> and <c>/owners</c>, app-only, every page (<c>@odata.nextLink</c>) followed.</summary>
public sealed class GraphGroupMembershipSource(GraphServiceClient graph) : IGroupMembershipSource
{
    public const string Permission = "GroupMember.Read.All";

    private static readonly string[] IdOnly = ["id"];

    public async Task<GroupMembership> ReadAsync(string groupId, CancellationToken cancellationToken)
    {
        var group = graph.Groups[groupId];
        var members = await ReadAllAsync(
            () => group.Members.GetAsync(r => { r.QueryParameters.Select = IdOnly; r.QueryParameters.Top = 999; }, cancellationToken),
            next => group.Members.WithUrl(next).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        var owners = await ReadAllAsync(
            () => group.Owners.GetAsync(r => { r.QueryParameters.Select = IdOnly; r.QueryParameters.Top = 999; }, cancellationToken),
            next => group.Owners.WithUrl(next).GetAsync(cancellationToken: cancellationToken)).ConfigureAwait(false);
        return new GroupMembership(members, owners);
    }

    private static async Task<HashSet<string>> ReadAllAsync(Func<Task<DirectoryObjectCollectionResponse?>> first, Func<string, Task<DirectoryObjectCollectionResponse?>> next)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var page = await first().ConfigureAwait(false);
        while (page is not null)
        {
            foreach (var item in page.Value ?? [])
                if (!string.IsNullOrEmpty(item.Id)) ids.Add(item.Id);
            page = string.IsNullOrEmpty(page.OdataNextLink) ? null : await next(page.OdataNextLink).ConfigureAwait(false);
        }
        return ids;
    }
}

/// <summary>
/// Team membership from Microsoft 365 groups, kept per group for <see cref="AccessOptions.MembershipCacheMinutes"/>
/// so a submission does not wait for Graph each time. Concurrent turns share one read of a group. When
/// Graph fails (a missing permission, throttling past the retries, no network, a deleted group), the
/// failure is logged for admins and the group counts as unknown for a minute: access falls back to
/// stored roles, and ward staff never see Graph's error.
/// </summary>
public sealed partial class GroupMembershipCache(
    IGroupMembershipSource source,
    IOptionsMonitor<AccessOptions> access,
    IOptions<GraphOptions> graph,
    TimeProvider time,
    ILogger<GroupMembershipCache> logger)
{
    private static readonly TimeSpan FailureMemory = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Lazy<Task<Entry>>> _entries = new(StringComparer.OrdinalIgnoreCase);

    private sealed record Entry(GroupMembership? Membership, DateTimeOffset Until);

    /// <summary>Whether group membership counts at all: on by default when Graph is configured.</summary>
    public bool Enabled => graph.Value.Enabled && (access.CurrentValue.TeamMembershipFromGroups ?? true);

    /// <summary>The group's members and owners, or null when membership is off or Graph could not say.</summary>
    public async Task<GroupMembership?> GetAsync(string? groupId, CancellationToken cancellationToken)
    {
        if (!Enabled || string.IsNullOrWhiteSpace(groupId)) return null;
        while (true)
        {
            var lazy = _entries.GetOrAdd(groupId, id => new Lazy<Task<Entry>>(() => LoadAsync(id)));
            var entry = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (entry.Until > time.GetUtcNow()) return entry.Membership;
            // Expired: the first turn to notice replaces it; the others then wait on the same new read.
            _entries.TryUpdate(groupId, new Lazy<Task<Entry>>(() => LoadAsync(groupId)), lazy);
        }
    }

    /// <summary>Membership from groups switched off: for tools and benchmarks that have no Graph.</summary>
    public static GroupMembershipCache Off(IOptionsMonitor<AccessOptions> access) =>
        new(new NoGroups(), access, Options.Create(new GraphOptions()), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<GroupMembershipCache>.Instance);

    private sealed class NoGroups : IGroupMembershipSource
    {
        public Task<GroupMembership> ReadAsync(string groupId, CancellationToken cancellationToken) => throw new InvalidOperationException("Group membership is off.");
    }

    private async Task<Entry> LoadAsync(string groupId)
    {
        var settings = access.CurrentValue;
        // One turn's cancellation must not cancel the read other turns share: it ends only by its own timeout.
        using var timeout = new CancellationTokenSource(settings.MembershipLookupTimeout, time);
        try
        {
            var membership = await source.ReadAsync(groupId, timeout.Token).ConfigureAwait(false);
            return new Entry(membership, time.GetUtcNow().AddMinutes(settings.MembershipCacheMinutes));
        }
        catch (Exception exception) when (GraphFailures.IsExpected(exception) || exception is OperationCanceledException)
        {
            var reason = GraphFailures.IsNotFound(exception)
                ? "Microsoft Graph has no group with this id (was the team deleted?)."
                : exception is OperationCanceledException
                    ? $"Microsoft Graph did not answer within {settings.MembershipLookupTimeout.TotalSeconds:0} s."
                    : GraphFailures.Describe(exception, GraphGroupMembershipSource.Permission);
            var retryAfter = FailureMemory < TimeSpan.FromMinutes(settings.MembershipCacheMinutes) ? FailureMemory : TimeSpan.FromMinutes(settings.MembershipCacheMinutes);
            LogMembershipUnavailable(logger, exception, groupId, reason, retryAfter.TotalSeconds);
            return new Entry(null, time.GetUtcNow() + retryAfter);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Team membership of Microsoft 365 group {GroupId} could not be read: {Reason} Only stored roles apply to its team; trying again in {RetrySeconds} s.")]
    private static partial void LogMembershipUnavailable(ILogger logger, Exception exception, string groupId, string reason, double retrySeconds);
}
