using ValueManagement.Core.Improvement;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Improvement;

/// <summary>"Add the note" on the report-out card: the same as <c>pdsa P3 cycle study …</c>, for anyone who may enter the team's figures.</summary>
public sealed class PdsaNoteAction(TestOfChangeStore store, TeamDirectory directory, AccessPolicy access) : ICardActionHandler
{
    public const string VerbName = "pdsaNote";
    public const string TeamKey = "teamId";
    public const string TestKey = "testId";
    public const string StageKey = "stage";
    public const string NoteKey = "note";

    public string Verb => VerbName;

    public async Task<CardActionResult> ExecuteAsync(CardActionRequest request, CancellationToken cancellationToken) =>
        CardActionResult.Say(await AnswerAsync(request, cancellationToken));

    private async Task<string> AnswerAsync(CardActionRequest request, CancellationToken cancellationToken)
    {
        var caller = request.Turn.Caller;
        if (!TestOfChangeId.TryParse(CardData.String(request.Data, TestKey), out var id) || store.Find(id) is not { } test
            || directory.FindTeam(test.TeamId) is not { } team || CardData.String(request.Data, TeamKey) != team.Id)
            return "I can't find that test of change any more. Type **pdsa** with the team's name to see its tests.";
        if (await CycleNotes.RefusalAsync(access, caller, team, cancellationToken) is { } refusal) return refusal;
        if (!StatusWords.TryParseStage(CardData.String(request.Data, StageKey), out var stage))
            return "Choose the stage of the cycle: plan, do, study or act.";
        var (noted, answer) = CycleNotes.Add(store, caller, test, stage, CardData.String(request.Data, NoteKey));
        return noted ? answer + " Nothing else on this card changed." : answer;
    }
}
