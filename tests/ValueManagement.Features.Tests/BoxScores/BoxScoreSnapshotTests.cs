namespace ValueManagement.Features.Tests.BoxScores;

/// <summary>
/// The box scores and roll-ups computed now are exactly those the unoptimised calculator computed (pinned in
/// BoxScoreSnapshots/): the faster computation (columns instead of a dictionary per week, shared labels) changes no
/// figure, rating, signal or word.
/// </summary>
public sealed class BoxScoreSnapshotTests
{
    public static TheoryData<string> Scenarios => [.. BoxScoreFingerprint.Scenarios.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void BoxScore_IsUnchanged(string name)
    {
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "BoxScoreSnapshots", name + ".txt"));
        var actual = BoxScoreFingerprint.Scenarios.Single(s => s.Name == name).Text();

        Assert.Equal(expected.ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }
}
