using Hangfire;
using Hangfire.Storage.SQLite;

namespace ValueManagement.Features.Tests.Scheduling;

/// <summary>The embedded job storage works on this platform: the pinned native SQLite loads and a job runs.</summary>
public sealed class HangfireSqliteTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "vm-hangfire-" + Guid.NewGuid().ToString("N") + ".db");


    [Fact]
    public async Task EnqueuedJob_RunsOnASqliteFile()
    {
        var storage = new SQLiteStorage(_path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromMilliseconds(200) });
        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 1, SchedulePollingInterval = TimeSpan.FromMilliseconds(200) }, storage);
        var client = new BackgroundJobClient(storage);

        client.Enqueue(() => SqliteProbeJob.Run("hello from sqlite"));

        var finished = await Task.WhenAny(SqliteProbeJob.Ran.Task, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.Same(SqliteProbeJob.Ran.Task, finished);
        Assert.Equal("hello from sqlite", await SqliteProbeJob.Ran.Task);
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_path)!, Path.GetFileName(_path) + "*"))
        {
            try { File.Delete(file); } catch (IOException) { }
        }
    }
}

public static class SqliteProbeJob
{
    public static readonly TaskCompletionSource<string> Ran = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static void Run(string message) => Ran.TrySetResult(message);
}
