using LiteDB;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Audit;

/// <summary>The append-only audit trail. Write it in the same transaction as the change it records.</summary>
public sealed class AuditLog(VmDatabase database)
{
    private ILiteCollection<AuditEntry> Entries => database.Collection<AuditEntry>(Collections.Audit);

    public void Append(AuditEntry entry) => Entries.Insert(entry);

    public IReadOnlyList<AuditEntry> ForSubject(string subject, string subjectId) =>
        Entries.Find(e => e.Subject == subject && e.SubjectId == subjectId).OrderBy(e => e.At).ThenBy(e => e.Id).ToList();

    public IReadOnlyList<AuditEntry> ForTeam(string teamId, int limit = 100) =>
        Entries.Find(e => e.TeamId == teamId).OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Take(limit).ToList();

    public int Count() => Entries.Count();
}
