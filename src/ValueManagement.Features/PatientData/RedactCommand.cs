using System.Globalization;
using ValueManagement.Core.Improvement;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.PatientData;

/// <summary>
/// <c>redact &lt;team&gt; &lt;week&gt; comment</c>, <c>redact pdsa P3 note 2</c>, <c>redact pdsa P3 title</c>: removes
/// text that should never have been stored (a patient's details) from every revision and the audit trail. Admins only.
/// The team is named exactly (its name, an alias or its id): removing text is not undone, so nothing is guessed.
/// </summary>
public sealed class RedactCommand(TeamDirectory directory, TestOfChangeStore tests, Redaction redaction, AccessPolicy access) : IBotCommand
{
    private const string Usage = "**redact Ward 7 2026-W48 comment**, **redact pdsa P3 note 2** (the second note, as **pdsa P3** lists them) or **redact pdsa P3 title**";

    public CommandInfo Info { get; } = new("redact", "redact <team> <week> comment | redact pdsa P3 note 2 | redact pdsa P3 title",
        "Remove a comment or PDSA note that holds patient details, from every version and the audit trail; admins")
    {
        Order = 96,
        Audience = CommandAudience.Admins,
    };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        if (access.CheckAdmin(turn.Caller) is { Allowed: false })
        {
            await turn.ReplyAsync("Only a value management admin can redact stored text. If a comment or note holds patient details, tell your admin which one.", cancellationToken);
            return;
        }

        var actor = new Actor(turn.Caller.AadObjectId!, turn.Caller.Name);
        var words = request.Words;
        var answer = words.Count > 0 && words[0].Equals("pdsa", StringComparison.OrdinalIgnoreCase)
            ? RedactPdsa(words.Skip(1).ToList(), actor)
            : RedactComment(words, actor);
        await turn.ReplyAsync(answer, cancellationToken);
    }

    private string RedactComment(IReadOnlyList<string> words, Actor actor)
    {
        if (words.Count < 3 || !words[^1].Equals("comment", StringComparison.OrdinalIgnoreCase))
            return $"Use {Usage}.";
        if (!IsoWeek.TryParse(words[^2], out var week, out var error))
            return $"I didn't understand the week \"{words[^2]}\": {error}";
        var name = string.Join(' ', words.Take(words.Count - 2));
        if (ExactTeam(name) is not { } team)
            return $"No team is called exactly \"{name}\": name it as **teams** lists it (its name or an alias), since a redaction cannot be undone.";

        return redaction.RedactComment(team.Id, week, actor)
            ? $"Done: the comment of **{team.Name}** for {week} is removed from every version and from the audit trail. The redaction is in the audit trail (who and when), without the text."
            : $"**{team.Name}** has no comment stored for {week}: nothing to remove.";
    }

    private string RedactPdsa(IReadOnlyList<string> words, Actor actor)
    {
        if (words.Count < 2 || !TestOfChangeId.TryParse(words[0], out var id))
            return $"Use {Usage}.";
        if (tests.Find(id) is not { } test)
            return $"There is no test of change {id}.";

        int? note = null;
        if (words[1].Equals("note", StringComparison.OrdinalIgnoreCase))
        {
            if (words.Count != 3 || !int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                return $"Which note? Say its number, e.g. **redact pdsa {id} note 2** for the second note **pdsa {id}** lists.";
            if (number > test.Notes.Count)
                return $"{id} has {test.Notes.Count} note{(test.Notes.Count == 1 ? "" : "s")}: there is no note {number}.";
            note = number;
        }
        else if (!words[1].Equals("title", StringComparison.OrdinalIgnoreCase) || words.Count != 2)
        {
            return $"Use {Usage}.";
        }

        var what = note is { } n ? $"note {n}" : "title";
        return redaction.RedactTestOfChange(test, note, actor)
            ? $"Done: the {what} of **{id}** is removed from the test of change and from the audit trail; it now reads \"{TestOfChangeStore.RemovedText}\". The redaction is in the audit trail (who and when), without the text."
            : $"The {what} of **{id}** was removed already.";
    }

    private TeamProfile? ExactTeam(string name)
    {
        var wanted = TeamNameResolver.Normalise(name);
        return directory.AllTeams().FirstOrDefault(t => string.Equals(t.Id, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? directory.AllTeams().FirstOrDefault(t => wanted.Length > 0 && t.Names.Any(n => TeamNameResolver.Normalise(n) == wanted));
    }
}
