using Microsoft.AspNetCore.Http;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Admin;

/// <summary>How many documents one collection holds.</summary>
public sealed record CollectionCount(string Name, int Count);

/// <summary>What <c>vm db status</c> shows: which database, its schema version (LiteDB), and each collection's count.</summary>
public sealed record DatabaseStatus(string Database, int? SchemaVersion, IReadOnlyList<CollectionCount> Collections)
{
    public static DatabaseStatus Of(IDocumentDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var file = database as VmDatabase;
        return new DatabaseStatus(
            file?.Path ?? database.Description,
            file is null ? null : Migrations.ReadVersion(file.Database),
            StoredCollections.All.Select(c => new CollectionCount(c.Name, c.Count(database))).ToList());
    }
}

public static partial class AdminEndpoints
{
    /// <summary><c>GET /admin/status</c>: the status of the database this bot holds, for <c>vm db status</c> while the bot runs.</summary>
    private static IResult Status(IDocumentDatabase database) => Results.Json(DatabaseStatus.Of(database), AdminProtocol.Json);
}
