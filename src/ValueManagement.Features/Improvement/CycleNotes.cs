using ValueManagement.Core.Improvement;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Permissions;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Improvement;

/// <summary>Adding a PDSA cycle note, the same from <c>pdsa P3 cycle study …</c> and from the report-out card's form.</summary>
public static class CycleNotes
{
    /// <summary>Why the caller may not add notes to the team's tests of change; null when they may.</summary>
    public static async Task<string?> RefusalAsync(AccessPolicy access, Caller caller, TeamProfile team, CancellationToken cancellationToken) =>
        await access.CheckAsync(caller, team, TeamPermission.Submit, cancellationToken) is { Allowed: false }
            ? $"Only members, data leads and coaches of {team.Name} (or an admin) can add notes to its tests of change."
            : null;

    /// <summary>Stores the note (or refuses it, e.g. for patient details); the answer says which cycle it went to, or why not.</summary>
    public static (bool Noted, string Answer) Add(TestOfChangeStore store, Caller caller, TestOfChange test, PdsaStage stage, string? text)
    {
        var noted = store.AddNote(test, stage, text, new Actor(caller.AadObjectId!, caller.Name));
        return noted.Value is { } withNote
            ? (true, $"Noted on **{test.Id}**, cycle {withNote.Notes[^1].Cycle} {StatusWords.Describe(stage)}.")
            : (false, noted.Refusal!);
    }
}
