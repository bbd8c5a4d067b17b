using ValueManagement.Core.Improvement;

namespace ValueManagement.Core.Tests.Improvement;

public class TestOfChangeTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static TestOfChange NewTest(string title = "Safety huddle at 14:00") =>
        TestOfChange.Create(new TestOfChangeId(1), "ward-7", title, "falls", Monday, "coach-oid", "Coach").Value!;

    [Theory]
    [InlineData("P1", 1)]
    [InlineData("p12", 12)]
    [InlineData(" P3 ", 3)]
    public void TryParse_PrefixedNumbers_Parsed(string text, int number)
    {
        Assert.True(TestOfChangeId.TryParse(text, out var id));
        Assert.Equal(number, id.Number);
        Assert.Equal($"P{number}", id.ToString());
    }

    [Theory]
    [InlineData("7")]
    [InlineData("7A")]
    [InlineData("P")]
    [InlineData("P0")]
    [InlineData("P-1")]
    [InlineData("P1A")]
    [InlineData("ward 7")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_TeamAliasesAndOtherText_NotIds(string? text)
    {
        Assert.False(TestOfChangeId.TryParse(text, out _));
    }

    [Fact]
    public void Create_StartsTestingWithTrimmedTitle()
    {
        var test = TestOfChange.Create(new TestOfChangeId(4), "ward-7", "  Safety huddle  ", " falls ", Monday, "oid", "Name").Value!;

        Assert.Equal("Safety huddle", test.Title);
        Assert.Equal("falls", test.MeasureKey);
        Assert.Equal(TestOfChangeStatus.Testing, test.Status);
        Assert.Equal(Monday, test.StatusSince);
        Assert.Equal(1, test.CurrentCycle);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void Create_MissingTitle_Refused(string? title)
    {
        var outcome = TestOfChange.Create(new TestOfChangeId(1), "ward-7", title, null, Monday, "oid", "Name");

        Assert.Null(outcome.Value);
        Assert.Contains("needs a title", outcome.Refusal);
    }

    [Fact]
    public void Create_TitleWithNhsNumber_Refused()
    {
        var outcome = TestOfChange.Create(new TestOfChangeId(1), "ward-7", "Follow up 943 476 5919", null, Monday, "oid", "Name");

        Assert.Null(outcome.Value);
        Assert.Contains("NHS number", outcome.Refusal);
        Assert.DoesNotContain("5919", outcome.Refusal);
    }

    [Fact]
    public void WithNote_ChiNumber_RefusedAndNothingAdded()
    {
        var test = NewTest();

        var outcome = test.WithNote(PdsaStage.Study, "Patient 0101901232 fell again", Monday, "oid", "Name");

        Assert.Null(outcome.Value);
        Assert.Contains("CHI number", outcome.Refusal);
        Assert.Empty(test.Notes);
    }

    [Fact]
    public void WithNote_AfterAct_OpensNextCycle()
    {
        var test = NewTest();
        foreach (var stage in Enum.GetValues<PdsaStage>())
            test = test.WithNote(stage, $"{stage} one", Monday, "oid", "Name").Value!;

        test = test.WithNote(PdsaStage.Plan, "Plan two", Monday.AddDays(7), "oid", "Name").Value!;

        Assert.Equal(2, test.CurrentCycle);
        var latest = Assert.Single(test.LatestCycleNotes());
        Assert.Equal((2, PdsaStage.Plan, "Plan two"), (latest.Cycle, latest.Stage, latest.Text));
    }

    [Fact]
    public void LatestCycleNotes_LastNoteOfEachStageInOrder()
    {
        var test = NewTest()
            .WithNote(PdsaStage.Do, "first do", Monday, "oid", "Name").Value!
            .WithNote(PdsaStage.Plan, "plan", Monday, "oid", "Name").Value!
            .WithNote(PdsaStage.Do, "second do", Monday, "oid", "Name").Value!;

        Assert.Equal(["plan", "second do"], test.LatestCycleNotes().Select(n => n.Text));
    }

    [Fact]
    public void WithStatus_RecordsHistory_AndRefusesSameStatus()
    {
        var adopted = NewTest().WithStatus(TestOfChangeStatus.Adopted, Monday.AddDays(14), "coach", "Coach").Value!;

        Assert.Equal(TestOfChangeStatus.Adopted, adopted.Status);
        Assert.Equal(Monday.AddDays(14), adopted.StatusSince);
        Assert.Equal(2, adopted.StatusHistory.Count);
        Assert.Contains("already adopted", adopted.WithStatus(TestOfChangeStatus.Adopted, Monday, "c", "C").Refusal);
    }

    [Theory]
    [InlineData("adopted", TestOfChangeStatus.Adopted)]
    [InlineData("TESTING", TestOfChangeStatus.Testing)]
    public void TryParseStatus_Words(string word, TestOfChangeStatus expected)
    {
        Assert.True(StatusWords.TryParseStatus(word, out var status));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("done")]
    [InlineData("")]
    public void TryParseStatus_NotAStatus_False(string word)
    {
        Assert.False(StatusWords.TryParseStatus(word, out _));
    }

    [Fact]
    public void TryParseStage_Numbers_NotStages()
    {
        Assert.False(StatusWords.TryParseStage("2", out _));
        Assert.True(StatusWords.TryParseStage("study", out var stage));
        Assert.Equal(PdsaStage.Study, stage);
    }
}
