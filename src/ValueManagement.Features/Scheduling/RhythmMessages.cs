using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Scheduling;

/// <summary>The messages of one occurrence, or why there are none.</summary>
public sealed record RhythmMessageSet(IReadOnlyList<DeliveryItem> Items, string? NoDestination);

/// <summary>
/// Who gets what for each kind of occurrence. Prompt: the team's channel, and each data lead in
/// personal chat when the team asks for it. Reminder: the channel, @mentioning the data leads.
/// Escalation: each coach in personal chat (the channel when no coach can be reached). Box score and
/// report-out reminder: the channel. Cards are rendered only when a message is actually sent.
/// </summary>
public sealed class RhythmMessages(
    TeamDirectory directory,
    ConversationStore conversations,
    CaptureService capture,
    BoxScoreService boxScores,
    ReportOutBuilder reports)
{
    /// <summary>A snapshot of who is reachable in personal chat, taken once per tick.</summary>
    public sealed class Reach
    {
        private readonly Dictionary<string, ConversationRecord> _personal;

        internal Reach(IEnumerable<ConversationRecord> active) =>
            _personal = active
                .Where(c => c.ConversationType == ConversationTypes.Personal && c.UserAadObjectId is not null)
                .GroupBy(c => c.UserAadObjectId!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.UpdatedAt).First(), StringComparer.OrdinalIgnoreCase);

        public ConversationRecord? PersonalChat(string aadObjectId) => _personal.GetValueOrDefault(aadObjectId);
    }

    public Reach Snapshot() => new(conversations.All());

    /// <summary>
    /// The messages of one occurrence. With <paramref name="dueAt"/> (a scheduled occurrence), a channel
    /// linked after that instant is left out: it was not the team's when the message was due.
    /// </summary>
    public RhythmMessageSet For(RhythmKind kind, TeamProfile team, IsoWeek week, Reach reach, string? kindName = null, string? destinationSuffix = null, DateTimeOffset? dueAt = null)
    {
        var keyKind = kindName ?? kind.KeyName();
        var linkedLater = dueAt is not null && team.ChannelLinkedAt > dueAt;
        var channel = team.ChannelConversationId is { } channelId && !linkedLater ? conversations.Find(channelId) : null;
        if (channel is { Active: false }) channel = null;
        var items = new List<DeliveryItem>();

        void ToChannel(Func<Activity> create)
        {
            if (channel is null) return;
            items.Add(new DeliveryItem(new DeliveryKey(keyKind, team.Id, week.ToString(), "channel:" + channel.Id + destinationSuffix),
                channel.Target, channel.TenantId, create));
        }

        void ToPerson(string aadObjectId, Func<Activity> create)
        {
            if (reach.PersonalChat(aadObjectId) is not { } chat) return;
            items.Add(new DeliveryItem(new DeliveryKey(keyKind, team.Id, week.ToString(), "user:" + aadObjectId + destinationSuffix),
                chat.Target, chat.TenantId, create));
        }

        var roles = directory.RolesIn(RoleScopeKind.Team, team.Id);
        var dataLeads = roles.Where(r => r.Role == Role.DataLead).ToList();
        switch (kind)
        {
            case RhythmKind.Prompt:
                var prompt = Lazy(() => Activity.Card(PromptCard.Build(capture.PromptModel(team, week)).ToAttachmentContent(), $"{team.Name}: figures for {week}"));
                ToChannel(prompt);
                if (team.PromptDataLeadsInPersonalChat)
                    foreach (var lead in dataLeads) ToPerson(lead.AadObjectId, prompt);
                break;
            case RhythmKind.Reminder:
                ToChannel(() => Reminder(team, week, dataLeads, reach));
                break;
            case RhythmKind.Escalation:
                var escalation = Lazy(() => Activity.Message(
                    $"**{team.Name}** has not entered its figures for {week}, and the deadline has passed. Type **remind {team.Name}** to nudge them again, or **missing** to see every team that is late."));
                foreach (var coach in roles.Where(r => r.Role == Role.Coach)) ToPerson(coach.AadObjectId, escalation);
                if (items.Count == 0)
                    ToChannel(() => Activity.Message($"The deadline for {team.Name}'s figures for {week} has passed and they are still missing. No coach could be told in a personal chat."));
                break;
            case RhythmKind.BoxScore:
                ToChannel(() =>
                {
                    var card = BoxScoreCard.Build(team, boxScores.Compute(team, week));
                    return Activity.Card(card.ToAttachmentContent(), card.FallbackText);
                });
                break;
            case RhythmKind.ReportOut:
                ToChannel(() =>
                {
                    var card = reports.Build(team, week);
                    return Activity.Card(card.ToAttachmentContent(), $"{team.Name}: report-out soon. {card.FallbackText}");
                });
                break;
        }

        if (items.Count > 0) return new RhythmMessageSet(items, null);
        var why = team.ChannelConversationId is null
            ? $"{team.Name} has no channel linked (type **link {team.Name}** in its channel)"
            : linkedLater
                ? $"{team.Name}'s channel was linked after this was due: it starts with the next one"
                : $"the bot has no working reference to {team.Name}'s channel (is it still installed there?)";
        return new RhythmMessageSet(items, why);
    }

    private static Activity Reminder(TeamProfile team, IsoWeek week, IReadOnlyList<RoleAssignment> dataLeads, Reach reach)
    {
        var mentions = new List<Entity>();
        var names = new List<string>();
        foreach (var lead in dataLeads)
        {
            var teamsId = reach.PersonalChat(lead.AadObjectId)?.UserId;
            if (teamsId is null)
            {
                names.Add($"**{lead.DisplayName}**");
                continue;
            }
            var text = $"<at>{lead.DisplayName}</at>";
            names.Add(text);
            mentions.Add(Entity.Mention(new ChannelAccount { Id = teamsId, Name = lead.DisplayName, AadObjectId = lead.AadObjectId }, text));
        }
        var who = names.Count > 0 ? string.Join(", ", names) + ": " : string.Empty;
        var message = Activity.Message($"{who}**{team.Name}**'s figures for {week} are not in yet. Type **submit** here to enter them.");
        return mentions.Count > 0 ? message with { Entities = mentions } : message;
    }

    private static Func<Activity> Lazy(Func<Activity> create)
    {
        var lazy = new Lazy<Activity>(create, LazyThreadSafetyMode.ExecutionAndPublication);
        return () => lazy.Value;
    }
}
