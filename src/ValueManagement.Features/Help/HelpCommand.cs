using ValueManagement.Features.Permissions;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Help;

/// <summary>
/// <c>help</c>: the help card with the commands the caller may use here (this kind of conversation,
/// and their roles). Also answers any text that is not a command.
/// </summary>
public sealed class HelpCommand(IServiceProvider services, AccessPolicy access) : IBotCommand, IFallbackCommand
{
    public CommandInfo Info { get; } = new("help", "help", "Show what I can do and how to ask") { Order = 0, Aliases = ["?"] };

    // The table is resolved lazily: it is built from every command, this one included.
    private CommandTable Table => (CommandTable)services.GetService(typeof(CommandTable))!;

    public Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken) =>
        ReplyAsync(request.Turn, unknownText: null, cancellationToken);

    Task IFallbackCommand.ExecuteAsync(CommandRequest request, CancellationToken cancellationToken) =>
        ReplyAsync(request.Turn, string.IsNullOrWhiteSpace(request.Arguments) ? null : request.Arguments, cancellationToken);

    private async Task ReplyAsync(TurnContext turn, string? unknownText, CancellationToken cancellationToken)
    {
        var scope = turn.ConversationType switch
        {
            ConversationTypes.Channel => CommandScopes.Team,
            ConversationTypes.GroupChat => CommandScopes.GroupChat,
            _ => CommandScopes.Personal,
        };
        var audience = await access.AudienceOfAsync(turn.Caller, cancellationToken);
        bool Offered(CommandInfo c) => c.Scopes.HasFlag(scope) && (c.Audience & audience) != 0;
        var commands = Table.Commands.Select(c => c.Info).Where(Offered);
        var suggestion = unknownText is null ? null : Table.Suggest(unknownText, Offered);
        var card = HelpCard.Build(commands, unknownText, turn.IsChannel, suggestion is { } s ? $"{s.Command.Name} {s.Arguments}".Trim() : null);
        await turn.ReplyAsync(Activity.Card(card.ToAttachmentContent(), "Value management bot: help"), cancellationToken);
    }
}
