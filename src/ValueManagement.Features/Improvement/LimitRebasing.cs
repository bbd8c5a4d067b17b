using ValueManagement.Core.Improvement;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Improvement;

/// <summary>
/// Rebasing a measure's limits from the week a test of change was adopted, and undoing it: the same from
/// <c>pdsa P3 rebase</c> and from the report-out card's button. Only the team's coach (or an admin) decides.
/// </summary>
public sealed class LimitRebasing(LimitRebaseStore rebases, MeasureSetStore measureSets, AccessPolicy access)
{
    public async Task<(bool Done, string Answer)> RebaseAsync(Caller caller, TeamProfile team, TestOfChange test, CancellationToken cancellationToken)
    {
        if (await access.CheckAsync(caller, team, TeamPermission.Coach, cancellationToken) is { Allowed: false })
            return (false, $"Only {team.Name}'s improvement coach or an admin can rebase a measure's limits.");
        if (test.MeasureKey is null)
            return (false, $"**{test.Id}** isn't linked to a measure, so there are no limits to rebase.");
        if (test.Status != TestOfChangeStatus.Adopted)
            return (false, $"**{test.Id}** is {StatusWords.Describe(test.Status)}, not adopted: rebase a measure's limits only once a change has become the way the team works (**pdsa {test.Id} status adopted**).");

        var week = AdoptedChange.Of(team, [test]).Single().Week;
        var measure = MeasureName(team, test.MeasureKey);
        return rebases.Add(test, week, ActorOf(caller))
            ? (true, $"Done: the limits of **{measure}** for {team.Name} now start afresh from {week}, after **{test.Id}** {test.Title}. Box scores, charts and report-outs use the weeks since then. To undo: **pdsa {test.Id} rebase undo**.")
            : (true, $"The limits of **{measure}** for {team.Name} already start afresh from {week}. To undo: **pdsa {test.Id} rebase undo**.");
    }

    public async Task<string> UndoAsync(Caller caller, TeamProfile team, TestOfChange test, CancellationToken cancellationToken)
    {
        if (await access.CheckAsync(caller, team, TeamPermission.Coach, cancellationToken) is { Allowed: false })
            return $"Only {team.Name}'s improvement coach or an admin can undo a rebase of a measure's limits.";
        return rebases.Undo(test, ActorOf(caller)) is { } undone
            ? $"Undone: the limits of **{MeasureName(team, undone.MeasureKey)}** for {team.Name} no longer start afresh from {undone.Week}."
            : $"The limits were not rebased after **{test.Id}**, so there is nothing to undo.";
    }

    private string MeasureName(TeamProfile team, string key) => measureSets.Find(team.MeasureSetId)?.Find(key)?.Name ?? key;

    private static Actor ActorOf(Caller caller) => new(caller.AadObjectId!, caller.Name);
}
