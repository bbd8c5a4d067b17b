using System.Text.Json;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Capture;

/// <summary><c>submitWeek</c>: the weekly form was submitted (Action.Execute, or Action.Submit on older clients).</summary>
/// Once stored, every other posted copy of the week's prompt becomes the same summary.
public sealed class SubmitWeekAction(CaptureService capture, PromptCopies copies) : ICardActionHandler
{
    public string Verb => CaptureVerbs.SubmitWeek;

    public async Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        var outcome = await capture.SubmitAsync(request.Turn.Caller, request.Data, request.IsInvoke ? "card" : "card (submit)", cancellationToken);
        if (outcome.Stored is not null
            && outcome.Result is CardActionResult.ReplaceCard summary
            && CardData.String(request.Data, CaptureVerbs.TeamIdKey) is { } teamId
            && IsoWeek.TryParse(CardData.String(request.Data, CaptureVerbs.WeekKey), out var week))
            copies.ReplaceWith(teamId, week, summary.Card, request.CardActivityId);
        return outcome.Result;
    }
}

/// <summary><c>editWeek</c>: "Change figures" on a submitted summary brings the form back with the current values.</summary>
public sealed class EditWeekAction(CaptureService capture, TeamDirectory directory) : ICardActionHandler
{
    public string Verb => CaptureVerbs.EditWeek;

    public async Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        var teamId = CardData.String(request.Data, CaptureVerbs.TeamIdKey);
        var weekText = CardData.String(request.Data, CaptureVerbs.WeekKey);
        if (teamId is null || directory.FindTeam(teamId) is not { } team || !IsoWeek.TryParse(weekText, out var week))
            return CardActionResult.Say("This card is out of date. Type **submit** for a fresh form.");

        if (await capture.RefusalAsync(request.Turn.Caller, team, week, cancellationToken) is { } refusal)
            return CardActionResult.Say(refusal);

        return CardActionResult.Replace(PromptCard.Build(capture.PromptModel(team, week)));
    }
}
