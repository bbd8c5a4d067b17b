extern alias LoadProgram;

using LoadProgram::ValueManagement.LoadTests;

namespace ValueManagement.Bot.Tests.Load;

/// <summary>
/// The mixed load program, run small in CI: submissions, commands and card actions at two levels of
/// concurrency get no errors, and every acknowledged submission is stored exactly once. No timing checks.
/// </summary>
public sealed class MixLoadSmokeTests
{
    [Fact]
    public async Task TwoShortSteps_NoErrors_AndEveryAcknowledgedSubmissionIsStoredExactlyOnce()
    {
        var options = new MixOptions { Steps = [2, 6], SecondsPerStep = 2, TeamsPerUser = 2 };

        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var result = await MixBenchmark.RunAsync(options, TextWriter.Null, giveUp.Token);

        Assert.All(result.Steps, step => Assert.True(step.Errors == 0, string.Join(Environment.NewLine, step.ErrorSamples)));
        Assert.All(result.Steps.SelectMany(s => s.Kinds), kind => Assert.True(kind.Count > 0, $"no {kind.Kind} requests were answered"));
        Assert.True(result.Acknowledged > 0, "No submission was acknowledged.");
        Assert.Equal(result.Acknowledged, result.StoredExactlyOnce);
    }
}
