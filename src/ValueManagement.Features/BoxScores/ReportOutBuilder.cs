using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>The report-out card for a team and week, as every path sends it (the command, the card button, the Thursday reminder): box score, signals and the team's tests of change.</summary>
public sealed class ReportOutBuilder(BoxScoreService boxScores, TestOfChangeStore testsOfChange, MeasureSetStore measureSets)
{
    public AdaptiveCard Build(TeamProfile team, IsoWeek week) =>
        ReportOutCard.Build(team, boxScores.Compute(team, week), testsOfChange: testsOfChange.ForTeam(team.Id), measures: measureSets.Find(team.MeasureSetId));
}
