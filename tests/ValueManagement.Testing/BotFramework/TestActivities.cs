using System.Text.Json;
using System.Text.Json.Nodes;

namespace ValueManagement.Testing.BotFramework;

/// <summary>A Teams user in tests.</summary>
public sealed record TestUser(string Name, string AadObjectId)
{
    public string TeamsId => "29:" + AadObjectId.Replace("-", string.Empty, StringComparison.Ordinal);

    public static readonly TestUser NurseJones = new("Sister Jones", "11111111-1111-1111-1111-111111111111");
    public static readonly TestUser CoachPatel = new("Ravi Patel", "22222222-2222-2222-2222-222222222222");
    public static readonly TestUser ManagerMoss = new("Dana Moss", "33333333-3333-3333-3333-333333333333");
    public static readonly TestUser AdminGrant = new("Ali Grant", "44444444-4444-4444-4444-444444444444");
    public static readonly TestUser Stranger = new("Sam Other", "55555555-5555-5555-5555-555555555555");
}

/// <summary>
/// Activities shaped like the ones Teams sends (see docs/bot-protocol.md 3.2), as JSON, so tests
/// can also send what no typed model would produce.
/// </summary>
public sealed class TestActivities(string serviceUrl, string botAppId)
{
    public const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    public const string TeamThreadId = "19:general0000000000000000000000@thread.tacv2";
    public const string ChannelThreadId = "19:ward7channel0000000000000000000@thread.tacv2";
    public const string GroupChatId = "19:groupchat000000000000000000000@thread.v2";
    public const string TeamAadGroupId = "0a0a0a0a-0000-0000-0000-00000000aaaa";
    public const string BotName = "Value management";

    private static int _sequence;

    public string ServiceUrl { get; } = serviceUrl;
    public string BotId { get; } = "28:" + botAppId;

    public static string NextId() => "1" + Interlocked.Increment(ref _sequence).ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    public static string PersonalConversationId(TestUser user) => "a:1personal-" + user.AadObjectId;

    public JsonObject Personal(string text, TestUser? from = null) =>
        Message(text, from ?? TestUser.NurseJones, Conversation(PersonalConversationId(from ?? TestUser.NurseJones), "personal"), ChannelData(team: false));

    public JsonObject GroupChat(string text, TestUser? from = null, bool mention = true) =>
        Message(mention ? Mention(text) : text, from ?? TestUser.NurseJones, Conversation(GroupChatId, "groupChat"), ChannelData(team: false), mention);

    public JsonObject Channel(string text, TestUser? from = null, bool mention = true, string channelId = ChannelThreadId) =>
        Message(mention ? Mention(text) : text, from ?? TestUser.NurseJones,
            Conversation($"{channelId};messageid={NextId()}", "channel"), ChannelData(team: true, channelId), mention);

    /// <summary>An Action.Execute press: <c>invoke</c> named <c>adaptiveCard/action</c>.</summary>
    public JsonObject Invoke(string verb, object data, TestUser? from = null, string? conversationId = null, string? replyToId = null, string conversationType = "personal")
    {
        var user = from ?? TestUser.NurseJones;
        var activity = Base("invoke", user, Conversation(conversationId ?? PersonalConversationId(user), conversationType), ChannelData(team: conversationType == "channel"));
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = replyToId ?? NextId();
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = JsonSerializer.SerializeToNode(data) },
            ["trigger"] = "manual",
        };
        return activity;
    }

    /// <summary>An Action.Submit press: a <c>message</c> with <c>value</c> and no text.</summary>
    public JsonObject Submit(object value, TestUser? from = null, string? conversationId = null, string? replyToId = null, string conversationType = "personal")
    {
        var user = from ?? TestUser.NurseJones;
        var activity = Base("message", user, Conversation(conversationId ?? PersonalConversationId(user), conversationType), ChannelData(team: conversationType == "channel"));
        activity["replyToId"] = replyToId ?? NextId();
        activity["value"] = JsonSerializer.SerializeToNode(value);
        return activity;
    }

    public JsonObject InstallInTeam(TestUser? by = null)
    {
        var activity = Base("installationUpdate", by ?? TestUser.AdminGrant, Conversation(TeamThreadId, "channel"), ChannelData(team: true, TeamThreadId, withTeamDetails: true));
        activity["action"] = "add";
        return activity;
    }

    public JsonObject InstallPersonal(TestUser user)
    {
        var activity = Base("installationUpdate", user, Conversation(PersonalConversationId(user), "personal"), ChannelData(team: false));
        activity["action"] = "add";
        return activity;
    }

    public JsonObject BotAddedToTeam(TestUser? by = null)
    {
        var activity = Base("conversationUpdate", by ?? TestUser.AdminGrant, Conversation(TeamThreadId, "channel"), ChannelData(team: true, TeamThreadId, withTeamDetails: true));
        activity["membersAdded"] = new JsonArray(new JsonObject { ["id"] = BotId });
        activity["channelData"]!["eventType"] = "teamMemberAdded";
        return activity;
    }

    public JsonObject UninstallFromTeam(TestUser? by = null)
    {
        var activity = Base("installationUpdate", by ?? TestUser.AdminGrant, Conversation(TeamThreadId, "channel"), ChannelData(team: true, TeamThreadId, withTeamDetails: true));
        activity["action"] = "remove";
        return activity;
    }

    private JsonObject Message(string text, TestUser from, JsonObject conversation, JsonObject channelData, bool mention = false)
    {
        var activity = Base("message", from, conversation, channelData);
        activity["text"] = text;
        activity["textFormat"] = "plain";
        if (mention)
        {
            activity["entities"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "mention",
                    ["text"] = $"<at>{BotName}</at>",
                    ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
                },
                new JsonObject { ["type"] = "clientInfo", ["locale"] = "en-GB", ["timezone"] = "Europe/London" });
        }
        return activity;
    }

    private static string Mention(string text) => $"<at>{BotName}</at> {text}";

    private JsonObject Base(string type, TestUser from, JsonObject conversation, JsonObject channelData) => new()
    {
        ["type"] = type,
        ["id"] = NextId(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["serviceUrl"] = ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = from.TeamsId, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
        ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = BotName },
        ["conversation"] = conversation,
        ["channelData"] = channelData,
        ["locale"] = "en-GB",
    };

    private static JsonObject Conversation(string id, string type) => new()
    {
        ["id"] = id,
        ["conversationType"] = type,
        ["isGroup"] = type != "personal",
        ["tenantId"] = TenantId,
    };

    private static JsonObject ChannelData(bool team, string channelId = ChannelThreadId, bool withTeamDetails = false)
    {
        var data = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TenantId } };
        if (team)
        {
            data["team"] = withTeamDetails
                ? new JsonObject { ["id"] = TeamThreadId, ["name"] = "Ward 7", ["aadGroupId"] = TeamAadGroupId }
                : new JsonObject { ["id"] = TeamThreadId };
            data["channel"] = new JsonObject { ["id"] = channelId, ["name"] = channelId == TeamThreadId ? null : "Ward 7 huddle" };
        }
        return data;
    }
}
