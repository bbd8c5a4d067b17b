using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.Graph;

namespace ValueManagement.Bot.Tests.People;

/// <summary>
/// Team membership from the linked Teams team's Microsoft 365 group, read through the fake Graph
/// (members and owners, paged), cached for <c>Access:MembershipCacheMinutes</c>, and stored roles
/// only when Graph fails, without ward staff ever seeing Graph's error.
/// </summary>
public sealed class GroupMembershipTests(GraphTestEnvironment environment) : IClassFixture<GraphTestEnvironment>
{
    private const string Ward7Group = "0a0a0a0a-0000-4000-8000-0000000000a7";
    private static readonly TestUser GroupGwen = new("Gwen Group", "c1c1c1c1-0000-4000-8000-000000000001");
    private static readonly TestUser OwnerOwen = new("Owen Owner", "c1c1c1c1-0000-4000-8000-000000000002");
    private static readonly string[] OtherMembers = ["c1c1c1c1-0000-4000-8000-000000000003", "c1c1c1c1-0000-4000-8000-000000000004"];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
    private readonly CapturedLogs _logs = new();

    private BotTestHost Start(IDictionary<string, string?>? settings = null)
    {
        var host = environment.StartHost(settings, configureServices: services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton<ILoggerProvider>(_logs);
        });
        TestOrganisation.Seed(host, ward7GroupId: Ward7Group);
        // Five members over three pages (two a page), one owner.
        environment.Graph.SetGroup(new FakeGraphGroup(Ward7Group, [OtherMembers[0], OtherMembers[1], TestUser.NurseJones.AadObjectId, OwnerOwen.AadObjectId, GroupGwen.AadObjectId], [OwnerOwen.AadObjectId]));
        return host;
    }

    private static async Task<(string Text, bool IsCard, string All)> SendAsync(BotTestHost host, string text, TestUser from)
    {
        host.Cloud.ClearCalls();
        using var response = await host.SendAsync(host.Activities.Personal(text, from));
        response.EnsureSuccessStatusCode();
        var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        return (reply.Body?["text"]?.GetValue<string>() ?? string.Empty, reply.Card is not null, reply.Body?.ToJsonString() ?? string.Empty);
    }

    [Fact]
    public async Task GroupMemberWithoutRole_GetsTheForm_MembershipReadOnceOverEveryPage()
    {
        await using var host = Start();

        var (_, isCard, all) = await SendAsync(host, "submit ward 7", GroupGwen);

        Assert.True(isCard, all);
        Assert.Contains("Ward 7", all, StringComparison.Ordinal);
        var calls = environment.Graph.GroupCalls;
        Assert.Equal(3, calls.Count(c => c.Path == $"/v1.0/groups/{Ward7Group}/members"));
        Assert.Contains(calls, c => c.Query.Contains("$skiptoken=4", StringComparison.Ordinal));
        Assert.Single(calls, c => c.Path == $"/v1.0/groups/{Ward7Group}/owners");
        Assert.All(calls, c => Assert.Equal("Bearer " + FakeBotFrameworkCloud.ConnectorAccessToken, c.Authorization));
    }

    [Fact]
    public async Task MembershipIsCached_ReadAgainOnlyAfterTheCacheTime()
    {
        await using var host = Start(new Dictionary<string, string?> { ["Access:MembershipCacheMinutes"] = "10" });
        await SendAsync(host, "submit ward 7", GroupGwen);
        var first = environment.Graph.GroupCalls.Count;

        _time.Advance(TimeSpan.FromMinutes(9));
        var (_, isCard, _) = await SendAsync(host, "boxscore ward 7", GroupGwen);
        Assert.True(isCard);
        Assert.Equal(first, environment.Graph.GroupCalls.Count);

        _time.Advance(TimeSpan.FromMinutes(2));
        await SendAsync(host, "submit ward 7", GroupGwen);
        Assert.Equal(2 * first, environment.Graph.GroupCalls.Count);
    }

    [Fact]
    public async Task StoredRole_SettlesTheCheck_WithoutAskingGraph()
    {
        await using var host = Start();

        var (_, isCard, _) = await SendAsync(host, "submit ward 7", TestUser.NurseJones);

        Assert.True(isCard);
        Assert.Empty(environment.Graph.GroupCalls);
    }

    [Fact]
    public async Task PersonOutsideTheGroup_RefusedWithTheUsualWords()
    {
        await using var host = Start();

        var (text, isCard, _) = await SendAsync(host, "submit ward 7", TestUser.Stranger);

        Assert.False(isCard);
        Assert.StartsWith("Only members, data leads and coaches of Ward 7", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GroupMember_TeamsAndUnnamedSubmit_FindTheirTeam()
    {
        await using var host = Start();

        var (teams, _, _) = await SendAsync(host, "teams", GroupGwen);
        Assert.Contains("**Ward 7**", teams, StringComparison.Ordinal);
        Assert.Contains("you: member", teams, StringComparison.Ordinal);
        Assert.DoesNotContain("Ward 8", teams, StringComparison.Ordinal);

        var (_, isCard, all) = await SendAsync(host, "submit", GroupGwen);
        Assert.True(isCard, all);
        Assert.Contains("Ward 7", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph403_StoredRolesOnly_WardStaffSeeNoGraphError_AdminsFindItInTheLog()
    {
        await using var host = Start();
        environment.Graph.FailNext(new GraphFailure(403, "Authorization_RequestDenied", Matches: c => c.Path.StartsWith("/v1.0/groups/", StringComparison.Ordinal)));

        var (text, isCard, all) = await SendAsync(host, "submit ward 7", GroupGwen);

        Assert.False(isCard);
        Assert.StartsWith("Only members, data leads and coaches of Ward 7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Graph", all, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
        var warning = Assert.Single(_logs.Warnings, w => w.Contains(Ward7Group, StringComparison.Ordinal));
        Assert.Contains(GraphGroupMembershipSource.Permission, warning, StringComparison.Ordinal);

        // Stored roles still work, and Graph is asked again a minute later rather than on every turn.
        Assert.True((await SendAsync(host, "submit ward 7", TestUser.NurseJones)).IsCard);
        var calls = environment.Graph.GroupCalls.Count;
        Assert.False((await SendAsync(host, "submit ward 7", GroupGwen)).IsCard);
        Assert.Equal(calls, environment.Graph.GroupCalls.Count);
        _time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.True((await SendAsync(host, "submit ward 7", GroupGwen)).IsCard);
    }

    [Fact]
    public async Task Graph429_RetriedAsRetryAfterSays_ThenAllowed()
    {
        await using var host = Start();
        environment.Graph.FailNext(new GraphFailure(429, "TooManyRequests", RetryAfter: TimeSpan.FromSeconds(1), Matches: c => c.Path.EndsWith("/members", StringComparison.Ordinal)));

        var (_, isCard, all) = await SendAsync(host, "submit ward 7", GroupGwen);

        Assert.True(isCard, all);
    }

    [Fact]
    public async Task Graph429PastTheRetries_FallsBackToStoredRoles()
    {
        await using var host = Start(new Dictionary<string, string?> { ["Graph:MaxAttempts"] = "2" });
        for (var i = 0; i < 2; i++)
            environment.Graph.FailNext(new GraphFailure(429, "TooManyRequests", RetryAfter: TimeSpan.Zero, Matches: c => c.Path.StartsWith("/v1.0/groups/", StringComparison.Ordinal)));

        var (text, isCard, all) = await SendAsync(host, "submit ward 7", GroupGwen);

        Assert.False(isCard);
        Assert.StartsWith("Only members, data leads and coaches of Ward 7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Graph", all, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(_logs.Warnings, w => w.Contains("busy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeletedGroup404_FallsBackToStoredRoles()
    {
        await using var host = Start();
        environment.Graph.Reset();

        var (text, isCard, _) = await SendAsync(host, "submit ward 7", GroupGwen);

        Assert.False(isCard);
        Assert.StartsWith("Only members, data leads and coaches of Ward 7", text, StringComparison.Ordinal);
        Assert.Contains(_logs.Warnings, w => w.Contains("no group with this id", StringComparison.Ordinal));
        Assert.True((await SendAsync(host, "submit ward 7", TestUser.NurseJones)).IsCard);
    }

    [Fact]
    public async Task MembershipFromGroupsOff_GroupMemberRefused_GraphNotAsked()
    {
        await using var host = Start(new Dictionary<string, string?> { ["Access:TeamMembershipFromGroups"] = "false" });

        var (_, isCard, _) = await SendAsync(host, "submit ward 7", GroupGwen);

        Assert.False(isCard);
        Assert.Empty(environment.Graph.GroupCalls);
    }

    [Fact]
    public async Task OwnerAsManager_ReadsTheBoxScore_CannotSubmit()
    {
        await using var host = Start(new Dictionary<string, string?> { ["Access:TeamOwnersAreManagers"] = "true" });
        environment.Graph.SetGroup(new FakeGraphGroup(Ward7Group, [GroupGwen.AadObjectId], [OwnerOwen.AadObjectId]));

        Assert.True((await SendAsync(host, "boxscore ward 7", OwnerOwen)).IsCard);
        var (text, isCard, _) = await SendAsync(host, "submit ward 7", OwnerOwen);
        Assert.False(isCard);
        Assert.StartsWith("Only members", text, StringComparison.Ordinal);
        Assert.Contains("you: manager", (await SendAsync(host, "teams", OwnerOwen)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelGivenByImport_GroupLearntFromTheBotsInstallInThatTeam()
    {
        await using var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(host); // no group stored for Ward 7
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        // The channel as a team setup import gives it: no group with it.
        directory.LinkChannel(directory.FindTeam(TestOrganisation.Ward7)!, TestActivities.TeamThreadId, null, new Actor("test", "test import"));
        environment.Graph.SetGroup(new FakeGraphGroup(TestActivities.TeamAadGroupId, [GroupGwen.AadObjectId], []));

        Assert.False((await SendAsync(host, "submit ward 7", GroupGwen)).IsCard);

        // The bot is installed in that Teams team: the install carries the team's group.
        using (var installed = await host.SendAsync(host.Activities.InstallInTeam())) installed.EnsureSuccessStatusCode();
        await host.Cloud.WaitForCallsAsync(1);

        var (_, isCard, all) = await SendAsync(host, "submit ward 7", GroupGwen);
        Assert.True(isCard, all);
        Assert.Null(directory.FindTeam(TestOrganisation.Ward7)!.AadGroupId);
    }

    /// <summary>Warnings the host logged, as formatted text.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> Warnings => _warnings.ToList();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(CapturedLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) owner._warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
