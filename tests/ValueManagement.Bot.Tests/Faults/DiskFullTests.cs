using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Capture;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Faults;

/// <summary>
/// The disk under the data file fills up (writes fail with ENOSPC) while the bot runs: the nurse is
/// told plainly that nothing was saved and keeps what they typed, nothing half-written is stored, and
/// once there is room again the next submission goes through and the file reopens intact.
/// </summary>
public sealed class DiskFullTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private const string Week = "2026-W48";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));

    [Fact]
    public async Task DiskFull_DuringASubmission_SaysNothingWasSaved_KeepsTheForm_AndRecoversWhenThereIsRoom()
    {
        var disk = new SimulatedDisk();
        var dataFile = environment.NewDatabasePath();
        var logFile = dataFile + "-log";

        await using (var host = environment.StartHost(configureServices: services =>
        {
            services.AddSingleton<TimeProvider>(_time);
            services.AddSingleton(_ => new VmDatabase(dataFile, () => (disk.Open(dataFile), disk.Open(logFile)), probeInterval: TimeSpan.Zero));
        }))
        {
            TestOrganisation.Seed(host);
            Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(host.Activities.Invoke(CaptureVerbs.SubmitWeek, CaptureTests.Figures()))).StatusCode);

            disk.Full = true;
            var amended = CaptureTests.Figures(revision: 1);
            amended["falls"] = "5";
            var refused = await host.InvokeAsync(host.Activities.Invoke(CaptureVerbs.SubmitWeek, amended));
            Assert.NotNull(refused);
            // A message, not a new card: the form on screen keeps what the nurse typed.
            Assert.Equal("application/vnd.microsoft.activity.message", refused["type"]!.GetValue<string>());
            Assert.Contains("Nothing was saved", refused["value"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(1, host.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, IsoWeek.Parse(Week)).LatestRevisionNumber);

            disk.Full = false;
            var answer = await host.InvokeAsync(host.Activities.Invoke(CaptureVerbs.SubmitWeek, amended));
            Assert.Contains(CaptureVerbs.EditWeek, answer!.ToJsonString(), StringComparison.Ordinal);
            var stored = host.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, IsoWeek.Parse(Week));
            Assert.Equal(2, stored.LatestRevisionNumber);
        }

        using var reopened = new VmDatabase(await OpenWhenReleasedAsync(dataFile), await OpenWhenReleasedAsync(logFile));
        var submission = new SubmissionStore(reopened, new AuditLog(reopened), _time).Load(TestOrganisation.Ward7, IsoWeek.Parse(Week));
        Assert.Equal([1, 2], submission.Revisions.Select(r => r.Number));
        Assert.Equal(5, submission.Current["falls"]);
        Assert.Equal(2, reopened.Database.GetCollection(Collections.Audit).Count(LiteDB.Query.EQ("Subject", "submission")));
    }

    // The host finishes disposing on its own thread after the factory says it is done.
    private static async Task<FileStream> OpenWhenReleasedAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Files whose writes fail with "No space left on device" while <see cref="Full"/> is set.</summary>
    private sealed class SimulatedDisk
    {
        public volatile bool Full;

        public Stream Open(string path) => new DiskStream(File.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read), this);

        private sealed class DiskStream(FileStream inner, SimulatedDisk disk) : Stream
        {
            public override bool CanRead => inner.CanRead;
            public override bool CanSeek => inner.CanSeek;
            public override bool CanWrite => inner.CanWrite;
            public override long Length => inner.Length;
            public override long Position { get => inner.Position; set => inner.Position = value; }
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
            public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

            public override void Flush()
            {
                ThrowIfFull();
                inner.Flush();
            }

            public override void SetLength(long value)
            {
                ThrowIfFull();
                inner.SetLength(value);
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                ThrowIfFull();
                inner.Write(buffer, offset, count);
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing) inner.Dispose();
                base.Dispose(disposing);
            }

            private void ThrowIfFull()
            {
                if (disk.Full) throw new IOException("No space left on device", 28);
            }
        }
    }
}
