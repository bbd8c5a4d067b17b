using System.Net;
using ValueManagement.Teams.Connector;

namespace ValueManagement.Teams.Tests.Connector;

public sealed class ConnectorExceptionTests
{
    [Theory]
    [InlineData(429, null, null, ConnectorFailureKind.Throttled)]
    [InlineData(412, "PreconditionFailed", null, ConnectorFailureKind.Transient)]
    [InlineData(502, null, null, ConnectorFailureKind.Transient)]
    [InlineData(503, null, null, ConnectorFailureKind.Transient)]
    [InlineData(504, null, null, ConnectorFailureKind.Transient)]
    [InlineData(500, "ServiceError", null, ConnectorFailureKind.Transient)]
    [InlineData(404, "ConversationNotFound", null, ConnectorFailureKind.ConversationUnreachable)]
    [InlineData(403, "BotNotInConversationRoster", null, ConnectorFailureKind.ConversationUnreachable)]
    [InlineData(403, "ConversationBlockedByUser", null, ConnectorFailureKind.ConversationUnreachable)]
    [InlineData(403, "BotDisabledByAdmin", null, ConnectorFailureKind.ConversationUnreachable)]
    [InlineData(403, "Forbidden", "MessageWritesBlocked", ConnectorFailureKind.ConversationUnreachable)]
    [InlineData(400, "BadArgument", null, ConnectorFailureKind.Permanent)]
    [InlineData(413, "MessageSizeTooBig", null, ConnectorFailureKind.Permanent)]
    [InlineData(403, "NotEnoughPermissions", null, ConnectorFailureKind.Permanent)]
    [InlineData(404, "ActivityNotFoundInConversation", null, ConnectorFailureKind.Permanent)]
    public void Classify_FollowsTheTeamsStatusTable(int status, string? code, string? subCode, ConnectorFailureKind expected) =>
        Assert.Equal(expected, ConnectorException.Classify((HttpStatusCode)status, code, subCode));

    [Fact]
    public void Backoff_GrowsExponentially_WithJitter_AndIsCapped()
    {
        var options = new ConnectorOptions { BaseDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(20) };
        for (var i = 0; i < 50; i++)
        {
            var first = ConnectorClient.Backoff(options, 1).TotalSeconds;
            var third = ConnectorClient.Backoff(options, 3).TotalSeconds;
            var tenth = ConnectorClient.Backoff(options, 10).TotalSeconds;
            Assert.InRange(first, 1.6, 2.4);
            Assert.InRange(third, 6.4, 9.6);
            Assert.InRange(tenth, 16, 24);
        }
    }

    [Theory]
    [InlineData("19:abc@thread.tacv2;messageid=123", "19%3Aabc%40thread.tacv2%3Bmessageid%3D123")]
    [InlineData("a:1xyz/..", "a%3A1xyz%2F..")]
    public void Escape_EscapesEveryReservedCharacterInConversationIds(string id, string escaped) =>
        Assert.Equal(escaped, ConnectorClient.Escape(id));
}
