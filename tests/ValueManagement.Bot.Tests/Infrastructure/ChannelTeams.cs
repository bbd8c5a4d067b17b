using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Infrastructure;

/// <summary>Many teams of one service, each with a channel the bot is installed in: what the fan-out tests start from.</summary>
internal static class ChannelTeams
{
    private static readonly Actor Setup = new("test", "test setup");

    /// <summary>
    /// Teams <c>team-000</c>… in the service "medicine" of NHS Highland, each with its channel's stored conversation
    /// reference (as an install leaves it, on <paramref name="serviceUrl"/>); <paramref name="admin"/>, when given, is an admin.
    /// </summary>
    public static IReadOnlyList<TeamProfile> Seed(IDocumentDatabase database, string serviceUrl, int count, DateTimeOffset installedAt, TestUser? admin = null)
    {
        var teams = Enumerable.Range(0, count).Select(i => new TeamProfile
        {
            Id = $"team-{i:D3}",
            Name = $"Team {i:D3}",
            ServiceId = "medicine",
            MeasureSetId = "acute-ward",
            ChannelConversationId = $"19:team{i:D3}channel@thread.tacv2",
        }).ToList();
        new TeamDirectory(database, new AuditLog(database), TimeProvider.System).ReplaceAll(
            [new Board("nhs-highland", "NHS Highland")],
            [new Service("medicine", "Medicine", "nhs-highland")],
            teams,
            admin is null ? [] : [new RoleAssignment(admin.AadObjectId, admin.Name, Role.Admin, RoleScopeKind.Everywhere, null)],
            Setup);
        database.InTransaction(() => database.Collection(ConversationStore.Stored).UpsertMany(teams.Select(t => new ConversationRecord
        {
            Id = t.ChannelConversationId!,
            ServiceUrl = serviceUrl,
            ConversationType = "channel",
            TenantId = TestActivities.TenantId,
            InstalledAt = installedAt,
            UpdatedAt = installedAt,
        })));
        return teams;
    }

    /// <summary>
    /// Every team's prompt five minutes before <paramref name="now"/> (London time) and the rest of the cycle two hours
    /// after it, so that only the prompt is due whatever the day and hour a test runs.
    /// </summary>
    public static void PromptDue(IDocumentDatabase database, IEnumerable<TeamProfile> teams, DateTimeOffset now)
    {
        var later = At(now.AddHours(2));
        var schedule = TeamSchedule.Default with { Prompt = At(now.AddMinutes(-5)), Reminder = later, Deadline = later, ReportOut = later };
        // In force for an hour already, so that the prompt five minutes ago was due under it.
        var schedules = new TeamScheduleStore(database, new AuditLog(database), new FakeTimeProvider(now.AddHours(-1)));
        foreach (var team in teams) schedules.Save(team.Id, schedule, Setup);
    }

    private static WeeklyTime At(DateTimeOffset utc)
    {
        var local = TeamClock.Default.LocalDateTime(utc);
        return new WeeklyTime(local.DayOfWeek, TimeOnly.FromDateTime(local.DateTime));
    }
}
