using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Tests.Routing;

public sealed class MessageTextTests
{
    private static Activity Message(string text, params Entity[] entities) => new()
    {
        Type = "message",
        Text = text,
        Recipient = new ChannelAccount { Id = "28:bot" },
        Entities = entities,
    };

    [Fact]
    public void BotMention_IsRemovedByEntity()
    {
        var activity = Message("<at>Value management</at> report ward 7", Entity.Mention(new ChannelAccount { Id = "28:bot", Name = "Value management" }, "<at>Value management</at>"));
        Assert.Equal("report ward 7", MessageText.WithoutBotMention(activity));
    }

    [Fact]
    public void OtherPeoplesMentions_AreKept()
    {
        var activity = Message("<at>Bot</at> coach add ward 7 <at>Ravi</at>",
            Entity.Mention(new ChannelAccount { Id = "28:bot", Name = "Bot" }, "<at>Bot</at>"),
            Entity.Mention(new ChannelAccount { Id = "29:ravi", Name = "Ravi" }, "<at>Ravi</at>"));
        Assert.Equal("coach add ward 7 <at>Ravi</at>", MessageText.WithoutBotMention(activity));
    }

    [Fact]
    public void MentionWithoutText_FallsBackToTheMentionedName()
    {
        var activity = Message("<at>VM</at> help", Entity.Mention(new ChannelAccount { Id = "28:BOT", Name = "VM" }, null!));
        Assert.Equal("help", MessageText.WithoutBotMention(activity));
    }

    [Fact]
    public void HtmlEntitiesAndOddSpaces_AreFolded()
    {
        var activity = Message("help&nbsp;\n\u00A0 me");
        Assert.Equal("help me", MessageText.WithoutBotMention(activity));
    }
}
