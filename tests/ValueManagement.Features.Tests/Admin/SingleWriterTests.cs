using System.Diagnostics;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Tests.Admin;

/// <summary>
/// One writer per data file. LiteDB's direct mode alone lets a second LiteDatabase open the same
/// file on Linux (its read handles take only shared advisory locks), so VmDatabase holds an
/// exclusive lock on a file beside it.
/// </summary>
public sealed class SingleWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void SecondDatabase_OnAFileThatIsOpen_FailsAtOnce()
    {
        var path = _folder.File("data.db");
        using var first = new VmDatabase(path);

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<DatabaseInUseException>(() => new VmDatabase(path));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(Path.GetFullPath(path), error.DatabasePath);
        Assert.Equal($"{Path.GetFullPath(path)}.lock is held by another process: the running bot, or another vm command", error.Message);
        Assert.IsAssignableFrom<IOException>(error);
    }

    [Fact]
    public void Database_OnceDisposed_CanBeOpenedAgain()
    {
        var path = _folder.File("data.db");
        new VmDatabase(path).Dispose();

        using var again = new VmDatabase(path);

        Assert.Equal(Migrations.CurrentVersion, Migrations.ReadVersion(again.Database));
    }

    [Fact]
    public void DifferentFiles_InTheSameFolder_DoNotBlockEachOther()
    {
        using var first = new VmDatabase(_folder.File("a.db"));
        using var second = new VmDatabase(_folder.File("b.db"));

        Assert.NotEqual(first.Path, second.Path);
    }
}
