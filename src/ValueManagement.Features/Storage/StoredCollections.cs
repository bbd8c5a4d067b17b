using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Storage;

/// <summary>One collection seen without its document type: enough to count it and copy it between engines.</summary>
public interface IStoredCollection
{
    string Name { get; }

    int Count(IDocumentDatabase database);

    /// <summary>
    /// Every document of the collection, in id order, as the PostgreSQL engine writes it (<see cref="PostgreSql.DocumentJson"/>).
    /// A dictionary's keys come back from PostgreSQL in its own order, so compare the JSON with its keys sorted.
    /// </summary>
    IEnumerable<(string Id, string Json)> Export(IDocumentDatabase database);

    /// <summary>Writes every document of <paramref name="source"/> into <paramref name="target"/> (replacing those with the same id); returns how many.</summary>
    int CopyTo(IDocumentDatabase source, IDocumentDatabase target);

    /// <summary>Replaces a text wherever it appears in the collection's documents; returns how many changed.</summary>
    int ReplaceText(IDocumentDatabase database, string text, string replacement);
}

/// <summary>Every collection the bot keeps, for tools that work on all of them (<c>vm migrate</c>, <c>vm db</c>).</summary>
public static class StoredCollections
{
    public static IReadOnlyList<IStoredCollection> All { get; } =
    [
        TeamDirectory.StoredBoards,
        TeamDirectory.StoredServices,
        MeasureSetStore.Stored,
        TeamDirectory.StoredTeams,
        TeamDirectory.StoredRoles,
        TeamDirectory.StoredScopeChannels,
        TeamScheduleStore.Stored,
        SubmissionStore.StoredWeeks,
        SubmissionStore.StoredCurrentValues,
        TestOfChangeStore.Stored,
        LimitRebaseStore.Stored,
        ConversationStore.Stored,
        AuditLog.Stored,
        RhythmStateStore.Stored,
        DeliveryLedger.StoredEntries,
        DeliveryLedger.StoredPayloads,
        DeliveryLedger.StoredFanOuts,
        StoredActivityDeduplicator.Stored,
    ];
}
