extern alias LoadProgram;

using LoadProgram::ValueManagement.LoadTests;

namespace ValueManagement.Bot.Tests.Load;

/// <summary>
/// The submissions load program, run small: it must work end to end (real host on 127.0.0.1, signed
/// invokes, its check of the data file afterwards). Speed is the program's business, not the test's.
/// </summary>
public sealed class SubmissionsLoadSmokeTests
{
    [Fact]
    public async Task FiveUsersForTwoSeconds_NoErrors_AndEveryAcknowledgedSubmissionIsOnDisk()
    {
        var options = new SubmissionsOptions { Users = 5, Seconds = 2, WarmupSeconds = 0, TeamsPerUser = 2 };

        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await SubmissionsBenchmark.RunAsync(options, TextWriter.Null, giveUp.Token);

        Assert.True(result.Errors == 0, string.Join(Environment.NewLine, result.ErrorSamples));
        Assert.True(result.Acknowledged > 0, "No submission was acknowledged.");
        Assert.Equal(result.Acknowledged + result.WarmupAcknowledged, result.FoundOnDisk);
        Assert.Equal(0, result.Lost);
        Assert.Contains("| 5 |", SubmissionsCommand.Report(options, [0], [result]));
    }
}
