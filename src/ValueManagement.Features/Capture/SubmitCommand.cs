using ValueManagement.Core.Weeks;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Capture;

/// <summary><c>submit [team] [week]</c>: the weekly form, for last week unless a week is named.</summary>
public sealed class SubmitCommand(TeamArguments teams, CaptureService capture) : IBotCommand
{
    public CommandInfo Info { get; } = new("submit", "submit [team] [week]", "Enter a week's figures (last week unless you name one, e.g. 2026-W48)") { Order = 10, Audience = CommandAudience.TeamPeople };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        switch (await teams.ResolveAsync(request.Turn, Info.Name, request.Arguments, cancellationToken))
        {
            case TeamChoice.Ask ask:
                await request.Turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            case TeamChoice.Chosen chosen:
                var rest = chosen.Rest.Trim();
                var week = capture.DefaultWeek(chosen.Team);
                if (rest.Length > 0 && !IsoWeek.TryParse(rest, out week, out var error))
                {
                    await request.Turn.ReplyAsync($"I read \"{chosen.Team.Name}\" as the team, and {error} For example: **submit {chosen.Team.Name} {capture.DefaultWeek(chosen.Team)}**.", cancellationToken);
                    return;
                }

                if (await capture.RefusalAsync(request.Turn.Caller, chosen.Team, week, cancellationToken) is { } refusal)
                {
                    await request.Turn.ReplyAsync(refusal, cancellationToken);
                    return;
                }

                var card = PromptCard.Build(capture.PromptModel(chosen.Team, week));
                await request.Turn.ReplyAsync(Activity.Card(card.ToAttachmentContent(), $"{chosen.Team.Name}: figures for {week}"), cancellationToken);
                return;
        }
    }
}
