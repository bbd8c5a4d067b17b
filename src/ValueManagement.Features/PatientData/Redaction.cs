using ValueManagement.Core.Improvement;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.Storage;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.PatientData;

/// <summary>
/// Removes text that should never have been stored (a patient's details in a comment or a PDSA note): from
/// every revision, from the audit trail's old and new values of that record, and from every other collection
/// that kept a copy (a posted card waiting in the delivery queue), in one transaction; audits the redaction
/// (who, when, which, never the text); then has the engine rewrite its storage so that the old versions are
/// gone from the data file or the tables too.
/// </summary>
public sealed class Redaction(IDocumentDatabase database, SubmissionStore submissions, TestOfChangeStore tests, AuditLog audit, TimeProvider time)
{
    /// <summary>What the audit trail and any copy hold where the text was.</summary>
    public const string Placeholder = "[redacted]";

    /// <summary>Removes the week's comment from every revision; false when the week has no comment.</summary>
    public bool RedactComment(string teamId, IsoWeek week, Actor actor) =>
        Redact(() => submissions.RemoveComments(teamId, week), "submission", SubmissionStore.KeyFor(teamId, week), teamId, "comment", actor);

    /// <param name="noteNumber">The note's place among the test's notes (1 = the first written); null for the title.</param>
    /// <returns>False when there is no such note, or it was removed already.</returns>
    public bool RedactTestOfChange(TestOfChange test, int? noteNumber, Actor actor) =>
        Redact(() => tests.RemoveText(test.Id, noteNumber) is { } removed ? [removed] : [],
            TestOfChangeStore.AuditSubject, test.Id.ToString(), test.TeamId, noteNumber is { } number ? $"note {number}" : "title", actor);

    private bool Redact(Func<IReadOnlyList<string>> remove, string subject, string subjectId, string teamId, string what, Actor actor)
    {
        var removed = database.InTransaction(() =>
        {
            var texts = remove();
            if (texts.Count == 0) return texts;
            foreach (var text in texts)
            {
                audit.ReplaceText(subject, subjectId, text, Placeholder);
                // Copies elsewhere (a card in the delivery queue) hold the text as typed, or escaped for a card.
                foreach (var form in new[] { text, CardText.Escape(text) }.Distinct(StringComparer.Ordinal))
                {
                    foreach (var collection in StoredCollections.All.Where(c => !Primary.Contains(c.Name)))
                        collection.ReplaceText(database, form, Placeholder);
                }
            }
            audit.Append(new AuditEntry
            {
                At = time.GetUtcNow(),
                ActorId = actor.Id,
                ActorName = actor.Name,
                Subject = subject,
                SubjectId = subjectId,
                Action = $"redact {what}",
                TeamId = teamId,
                Changes = [new AuditChange(what, Placeholder, null)],
            });
            return texts;
        });
        if (removed.Count == 0) return false;
        database.Compact(StoredCollections.All.Select(c => c.Name).ToList());
        return true;
    }

    // The records a redaction edits itself (the week, the test of change), and the audit trail, where only the
    // record's own entries are cleaned: the same words elsewhere are someone else's text.
    private static readonly HashSet<string> Primary = new(StringComparer.Ordinal) { Collections.Submissions, Collections.TestsOfChange, Collections.Audit };
}
