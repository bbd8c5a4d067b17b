using LiteDB;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Audit;

/// <summary>The append-only audit trail. Write it in the same transaction as the change it records.</summary>
public sealed class AuditLog(IDocumentDatabase database)
{
    // ObjectIds order by time, then machine and process, then a counter: the order entries were written.
    public static readonly DocumentCollection<AuditEntry> Stored = new(Collections.Audit, e => e.Id!.ToString(), nameof(AuditEntry.TeamId), nameof(AuditEntry.SubjectId));

    private IDocumentCollection<AuditEntry> Entries => database.Collection(Stored);

    public void Append(AuditEntry entry) => Entries.Upsert(entry with { Id = entry.Id ?? ObjectId.NewObjectId() });

    public IReadOnlyList<AuditEntry> ForSubject(string subject, string subjectId) =>
        Entries.Where(e => e.SubjectId, subjectId).Where(e => e.Subject == subject).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();

    public IReadOnlyList<AuditEntry> ForTeam(string teamId, int limit = 100) =>
        Entries.Where(e => e.TeamId, teamId).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(limit).ToList();

    public int Count() => Entries.Count();

    /// <summary>
    /// Replaces <paramref name="text"/> with <paramref name="replacement"/> in the old and new values of one subject's
    /// entries (a redaction: the trail keeps who changed what and when, not the text); returns how many entries changed.
    /// </summary>
    public int ReplaceText(string subject, string subjectId, string text, string replacement)
    {
        var changed = 0;
        foreach (var entry in ForSubject(subject, subjectId))
        {
            if (!entry.Changes.Any(c => Contains(c.Old) || Contains(c.New))) continue;
            Entries.Upsert(entry with
            {
                Changes = entry.Changes.Select(c => c with { Old = c.Old?.Replace(text, replacement, StringComparison.Ordinal), New = c.New?.Replace(text, replacement, StringComparison.Ordinal) }).ToList(),
            });
            changed++;
        }
        return changed;

        bool Contains(string? value) => value is not null && value.Contains(text, StringComparison.Ordinal);
    }
}
