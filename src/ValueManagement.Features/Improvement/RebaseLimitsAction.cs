using ValueManagement.Core.Improvement;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Improvement;

/// <summary>
/// "Rebase limits from 2026-W49" on the report-out card: the coach confirms that the measure's limits start afresh
/// from the week the change was adopted. Data {teamId, testId, week (of the report-out)}; the answer is the
/// report-out again, with the new limits.
/// </summary>
public sealed class RebaseLimitsAction(TestOfChangeStore store, TeamDirectory directory, LimitRebasing rebasing, ReportOutBuilder reports) : ICardActionHandler
{
    public const string VerbName = "rebaseLimits";
    public const string TeamKey = "teamId";
    public const string TestKey = "testId";
    public const string WeekKey = "week";

    public string Verb => VerbName;

    public async Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        if (!TestOfChangeId.TryParse(CardData.String(request.Data, TestKey), out var id) || store.Find(id) is not { } test
            || directory.FindTeam(test.TeamId) is not { } team || CardData.String(request.Data, TeamKey) != team.Id
            || !IsoWeek.TryParse(CardData.String(request.Data, WeekKey), out var week))
            return CardActionResult.Say("This card is out of date. Type **report** with the team's name for a fresh one.");

        var (done, answer) = await rebasing.RebaseAsync(request.Turn.Caller, team, test, cancellationToken);
        return done ? CardActionResult.Replace(reports.Build(team, week, alsoShowTestId: test.Id.ToString())) : CardActionResult.Say(answer);
    }
}
