// Left out of the build until VmDatabase implements IDocumentDatabase (the lead's port on main):
// remove the #if then.
#if VMDATABASE_IMPLEMENTS_IDOCUMENTDATABASE
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Tests.Storage;

/// <summary>The contract on LiteDB, in memory. One process, one file: the second instance is the same database.</summary>
public sealed class LiteDbDocumentDatabaseTests : DocumentDatabaseContractTests, IDisposable
{
    private readonly VmDatabase _database = new(new MemoryStream());

    protected override IDocumentDatabase Database => _database;

    protected override IDocumentDatabase SecondInstance => _database;

    public void Dispose() => _database.Dispose();
}
#endif
