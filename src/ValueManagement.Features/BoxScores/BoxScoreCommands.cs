using System.Globalization;
using System.Text.Json;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.BoxScores;

/// <summary>What the team commands share: the team (from TeamArguments), an optional week, and View permission.</summary>
public abstract class TeamWeekCommand(TeamArguments teams, BoxScoreService boxScores, AccessPolicy access) : IBotCommand
{
    public abstract CommandInfo Info { get; }

    protected BoxScoreService BoxScores { get; } = boxScores;

    protected abstract AdaptiveCard BuildCard(Core.Organisation.TeamProfile team, IsoWeek week);

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        switch (await teams.ResolveAsync(request.Turn, Info.Name, request.Arguments, cancellationToken))
        {
            case TeamChoice.Ask ask:
                await request.Turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            case TeamChoice.Chosen chosen:
                var check = await access.CheckAsync(request.Turn.Caller, chosen.Team, TeamPermission.View, cancellationToken);
                if (!check.Allowed)
                {
                    await request.Turn.ReplyAsync(check.Refusal!, cancellationToken);
                    return;
                }

                var rest = chosen.Rest.Trim();
                var week = BoxScores.DefaultWeek(chosen.Team);
                if (rest.Length > 0 && !IsoWeek.TryParse(rest, out week, out var error))
                {
                    await request.Turn.ReplyAsync($"I read \"{chosen.Team.Name}\" as the team, and {error} For example: **{Info.Name} {chosen.Team.Name} {BoxScores.DefaultWeek(chosen.Team)}**.", cancellationToken);
                    return;
                }

                var card = BuildCard(chosen.Team, week);
                await request.Turn.ReplyAsync(Activity.Card(card.ToAttachmentContent(), card.FallbackText), cancellationToken);
                return;
        }
    }
}

/// <summary><c>boxscore [team] [week]</c>: the team's box score, for last week unless a week is named.</summary>
public sealed class BoxScoreCommand(TeamArguments teams, BoxScoreService boxScores, AccessPolicy access) : TeamWeekCommand(teams, boxScores, access)
{
    public override CommandInfo Info { get; } = new("boxscore", "boxscore [team] [week]", "Show a team's box score: quality, cost and workforce against target") { Order = 20, Audience = CommandAudience.TeamPeople };

    protected override AdaptiveCard BuildCard(Core.Organisation.TeamProfile team, IsoWeek week) => BoxScoreCard.Build(team, BoxScores.Compute(team, week));
}

/// <summary><c>report [team] [week]</c>: the report-out card.</summary>
public sealed class ReportCommand(TeamArguments teams, BoxScoreService boxScores, ReportOutBuilder reports, AccessPolicy access) : TeamWeekCommand(teams, boxScores, access)
{
    public override CommandInfo Info { get; } = new("report", "report <team> [week]", "The report-out summary: box score in brief and the signals in words") { Order = 30, Audience = CommandAudience.TeamPeople };

    protected override AdaptiveCard BuildCard(Core.Organisation.TeamProfile team, IsoWeek week) => reports.Build(team, week);
}

/// <summary><c>rollup [service|board] [week]</c>: box scores rolled up for managers, 15 teams at a time.</summary>
public sealed class RollupCommand(BoxScoreService boxScores) : IBotCommand
{
    public CommandInfo Info { get; } = new("rollup", "rollup [service|board] [week]", "Box scores rolled up for a service or the board") { Order = 90, Audience = CommandAudience.Managers | CommandAudience.Coaches };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var words = request.Words.ToList();
        IsoWeek? week = null;
        if (words.Count > 0 && IsoWeek.LooksLikeWeek(words[^1]))
        {
            if (!IsoWeek.TryParse(words[^1], out var named, out var error))
            {
                await request.Turn.ReplyAsync($"I didn't understand the week \"{words[^1]}\": {error}", cancellationToken);
                return;
            }
            week = named;
            words.RemoveAt(words.Count - 1);
        }

        var (scope, problem) = boxScores.ResolveScope(request.Turn.Caller, string.Join(' ', words));
        if (scope is null)
        {
            await request.Turn.ReplyAsync(problem!, cancellationToken);
            return;
        }

        var card = RollupCard.Build(scope, boxScores.Rollup(scope, week));
        await request.Turn.ReplyAsync(Activity.Card(card.ToAttachmentContent(), card.FallbackText), cancellationToken);
    }
}

/// <summary><c>showBoxScore</c>: "View box score" on a submitted summary, or a team on a roll-up. Data {teamId, week}.</summary>
public sealed class ShowBoxScoreAction(BoxScoreService boxScores, AccessPolicy access) : ICardActionHandler
{
    public string Verb => BoxScoreVerbs.ShowBoxScore;

    public Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken) =>
        TeamWeekAction.RunAsync(request, boxScores, access, (team, week) => BoxScoreCard.Build(team, boxScores.Compute(team, week)), cancellationToken);
}

/// <summary><c>showReport</c>: "Full report" on a box score. Data {teamId, week}.</summary>
public sealed class ShowReportAction(BoxScoreService boxScores, ReportOutBuilder reports, AccessPolicy access) : ICardActionHandler
{
    public string Verb => BoxScoreVerbs.ShowReport;

    public Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken) =>
        TeamWeekAction.RunAsync(request, boxScores, access, reports.Build, cancellationToken);
}

internal static class TeamWeekAction
{
    public static async Task<CardActionResult> RunAsync(CardActionRequest request, BoxScoreService boxScores, AccessPolicy access, Func<Core.Organisation.TeamProfile, IsoWeek, AdaptiveCard> build, CancellationToken cancellationToken)
    {
        if (boxScores.FromCardData(request.Data) is not var (team, week))
            return CardActionResult.Say("This card is out of date. Type **boxscore** for a fresh box score.");
        var check = await access.CheckAsync(request.Turn.Caller, team, TeamPermission.View, cancellationToken);
        return check.Allowed ? CardActionResult.Replace(build(team, week)) : CardActionResult.Say(check.Refusal!);
    }
}

/// <summary><c>rollupMore</c>: the next page of a roll-up. Data {scope, scopeId, week, offset}; permission is checked again.</summary>
public sealed class RollupMoreAction(BoxScoreService boxScores) : ICardActionHandler
{
    public string Verb => BoxScoreVerbs.RollupMore;

    public Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        var data = request.Data;
        var scope = boxScores.FindScope(CardData.String(data, BoxScoreVerbs.ScopeKey) ?? string.Empty, CardData.String(data, BoxScoreVerbs.ScopeIdKey) ?? string.Empty);
        if (scope is null || !IsoWeek.TryParse(CardData.String(data, BoxScoreVerbs.WeekKey), out var week) || CardData.Int(data, BoxScoreVerbs.OffsetKey) is not { } offset || offset < 0)
            return Task.FromResult(CardActionResult.Say("This roll-up is out of date. Type **rollup** for a fresh one."));
        if (!boxScores.MayView(request.Turn.Caller, scope))
            return Task.FromResult(CardActionResult.Say($"Only managers of {scope.Name} (or an admin) can see its roll-up."));
        return Task.FromResult(CardActionResult.Replace(RollupCard.Build(scope, boxScores.Rollup(scope, week), offset)));
    }


}
