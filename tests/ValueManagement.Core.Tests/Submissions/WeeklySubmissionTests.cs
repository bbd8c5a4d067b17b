using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Submissions;

public class WeeklySubmissionTests
{
    private static readonly IsoWeek Week = IsoWeek.Parse("2026-W48");
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
    private static readonly Submitter Aisha = new("6f1c0a52-3a7e-4a8b-9a51-0d1f7e9c1a01", "Aisha Khan");
    private static readonly Submitter Ben = new("0b8d7f3e-8c2a-4f55-b1a4-6c0f2e7d9b02", "Ben Ross");

    private static Dictionary<string, double?> Values(params (string Key, double? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value);

    private static SubmissionProposal Proposal(Submitter by, int basedOn, string? comment, params (string Key, double? Value)[] values) =>
        new(Values(values), comment, by, basedOn);

    private static WeeklySubmission NewWeek() => new("ward-7", Week);

    [Fact]
    public void Apply_FirstSubmission_CreatesRevisionOne()
    {
        var week = NewWeek();

        var result = week.Apply(Proposal(Aisha, 0, "Quiet week", ("falls", 2), ("complaints", 0)), Monday);

        Assert.Equal(SubmissionOutcome.Created, result.Outcome);
        Assert.Equal(1, result.Revision.Number);
        Assert.Equal(Aisha, result.Revision.By);
        Assert.Equal(Monday, result.Revision.At);
        Assert.Equal("Quiet week", week.CurrentComment);
        Assert.Equal(new[] { new MeasureChange("falls", null, 2), new MeasureChange("complaints", null, 0) }, result.Diff);
        Assert.Empty(result.ChangedByOthers);
        Assert.Equal(Values(("falls", 2), ("complaints", 0)), week.Current);
        Assert.Equal(1, week.LatestRevisionNumber);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(10)]
    public void Apply_SameThingTwiceWithinTenSeconds_IsADoubleClick(int seconds)
    {
        var week = NewWeek();
        var first = week.Apply(Proposal(Aisha, 0, "Quiet week", ("falls", 2)), Monday);

        var second = week.Apply(Proposal(Aisha, 0, " Quiet week ", ("falls", 2)), Monday.AddSeconds(seconds));

        Assert.Equal(SubmissionOutcome.Duplicate, second.Outcome);
        Assert.Same(first.Revision, second.Revision);
        Assert.Empty(second.Diff);
        Assert.Single(week.Revisions);
    }

    [Fact]
    public void Apply_SameThingAfterTenSeconds_IsANewRevision()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);

        var second = week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday.AddSeconds(10).AddMilliseconds(1));

        Assert.Equal(SubmissionOutcome.Created, second.Outcome);
        Assert.Equal(2, second.Revision.Number);
        Assert.Empty(second.Diff);
    }

    [Fact]
    public void Apply_SamePersonDifferentValuesWithinWindow_IsANewRevision()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);

        var second = week.Apply(Proposal(Aisha, 1, null, ("falls", 3)), Monday.AddSeconds(2));

        Assert.Equal(SubmissionOutcome.Created, second.Outcome);
        Assert.Equal(new[] { new MeasureChange("falls", 2, 3) }, second.Diff);
    }

    [Fact]
    public void Apply_SamePersonDifferentCommentWithinWindow_IsANewRevision()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);

        var second = week.Apply(Proposal(Aisha, 0, "Two falls, same patient", ("falls", 2)), Monday.AddSeconds(2));

        Assert.Equal(SubmissionOutcome.Created, second.Outcome);
        Assert.Equal("Two falls, same patient", week.CurrentComment);
    }

    [Fact]
    public void Apply_SameValuesFromSomeoneElseWithinWindow_IsANewRevision()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);

        var second = week.Apply(Proposal(Ben, 0, null, ("falls", 2)), Monday.AddSeconds(1));

        Assert.Equal(SubmissionOutcome.Created, second.Outcome);
        Assert.Equal(Ben, second.Revision.By);
    }

    [Fact]
    public void Apply_IdentityIsTheObjectIdNotTheName()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);

        var renamed = week.Apply(Proposal(Aisha with { Name = "A. Khan", ObjectId = Aisha.ObjectId.ToUpperInvariant() }, 0, null, ("falls", 2)), Monday.AddSeconds(1));
        var namesake = week.Apply(Proposal(Ben with { Name = "Aisha Khan" }, 0, null, ("falls", 2)), Monday.AddSeconds(2));

        Assert.Equal(SubmissionOutcome.Duplicate, renamed.Outcome);
        Assert.Equal(SubmissionOutcome.Created, namesake.Outcome);
    }

    [Fact]
    public void Apply_DoubleClickAfterSomeoneElseSubmitted_IsStillADuplicate()
    {
        var week = NewWeek();
        var first = week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);
        week.Apply(Proposal(Ben, 0, null, ("falls", 3)), Monday.AddSeconds(1));

        var again = week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday.AddSeconds(4));

        Assert.Equal(SubmissionOutcome.Duplicate, again.Outcome);
        Assert.Same(first.Revision, again.Revision);
        Assert.Equal(3, week.Current["falls"]);
    }

    [Fact]
    public void Apply_LeftOutMeasures_KeepTheirValue_AndBlankClears()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2), ("complaints", 1), ("bankHours", 80)), Monday);

        var result = week.Apply(Proposal(Aisha, 1, null, ("falls", 3), ("complaints", null)), Monday.AddMinutes(5));

        Assert.Equal(Values(("falls", 3), ("complaints", null), ("bankHours", 80)), week.Current);
        Assert.Equal(new[] { new MeasureChange("falls", 2, 3), new MeasureChange("complaints", 1, null) }, result.Diff);
        Assert.Equal(result.Diff, week.Revisions[1].Changes);
    }

    [Fact]
    public void Apply_BasedOnOlderRevision_LastWriteWinsAndNamesWhatOthersChanged()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2), ("complaints", 0), ("bankHours", 80)), Monday);
        var bens = week.Apply(Proposal(Ben, 1, null, ("falls", 3), ("complaints", 0), ("bankHours", 96)), Monday.AddMinutes(1));

        // Aisha's card still shows revision 1.
        var result = week.Apply(Proposal(Aisha, 1, null, ("falls", 4), ("complaints", 1)), Monday.AddMinutes(2));

        Assert.Equal(SubmissionOutcome.Created, result.Outcome);
        Assert.Equal(3, result.Revision.Number);
        Assert.Equal(1, result.Revision.BasedOnRevision);
        Assert.Equal(Values(("falls", 4), ("complaints", 1), ("bankHours", 96)), week.Current);
        Assert.Equal(
            new[]
            {
                new ConcurrentChange("falls", 2, 3, Ben, bens.Revision.At, OverwrittenByYou: true),
                new ConcurrentChange("bankHours", 80, 96, Ben, bens.Revision.At, OverwrittenByYou: false),
            },
            result.ChangedByOthers);
        Assert.Equal(new[] { new MeasureChange("falls", 3, 4), new MeasureChange("complaints", 0, 1) }, result.Diff);
    }

    [Fact]
    public void Apply_BasedOnOlderRevision_SameValueAsTheOtherPerson_IsNotOverwritten()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);
        week.Apply(Proposal(Ben, 1, null, ("falls", 3)), Monday.AddMinutes(1));

        var result = week.Apply(Proposal(Aisha, 1, null, ("falls", 3)), Monday.AddMinutes(2));

        var change = Assert.Single(result.ChangedByOthers);
        Assert.False(change.OverwrittenByYou);
        Assert.Empty(result.Diff);
    }

    [Fact]
    public void Apply_OwnEditsFromAnotherCard_AreNotReportedAsOthers()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);
        week.Apply(Proposal(Aisha, 1, null, ("falls", 3)), Monday.AddMinutes(1));

        var result = week.Apply(Proposal(Aisha, 1, null, ("falls", 4)), Monday.AddMinutes(2));

        Assert.Empty(result.ChangedByOthers);
    }

    [Fact]
    public void Apply_OthersChangedAndChangedBack_IsNotNews()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);
        week.Apply(Proposal(Ben, 1, null, ("falls", 3)), Monday.AddMinutes(1));
        week.Apply(Proposal(Ben, 2, null, ("falls", 2)), Monday.AddMinutes(2));

        var result = week.Apply(Proposal(Aisha, 1, null, ("falls", 5)), Monday.AddMinutes(3));

        Assert.Empty(result.ChangedByOthers);
    }

    [Fact]
    public void Apply_CardWithNoRevisionAfterSomeoneSubmitted_NamesTheirValues()
    {
        var week = NewWeek();
        week.Apply(Proposal(Ben, 0, null, ("falls", 3)), Monday);

        var result = week.Apply(Proposal(Aisha, 0, null, ("falls", 1)), Monday.AddMinutes(1));

        Assert.Equal(new ConcurrentChange("falls", null, 3, Ben, Monday, true), Assert.Single(result.ChangedByOthers));
    }

    [Fact]
    public void Apply_UpToDateCard_ReportsNoConcurrentChanges()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);
        week.Apply(Proposal(Ben, 1, null, ("falls", 3)), Monday.AddMinutes(1));

        var result = week.Apply(Proposal(Aisha, 2, null, ("falls", 4)), Monday.AddMinutes(2));

        Assert.Empty(result.ChangedByOthers);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2)]
    public void Apply_BasedOnRevisionThatDoesNotExist_Throws(int basedOn)
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), Monday);

        Assert.Throws<ArgumentOutOfRangeException>(() => week.Apply(Proposal(Aisha, basedOn, null, ("falls", 3)), Monday.AddMinutes(1)));
    }

    [Fact]
    public void Apply_NonFiniteValue_Throws()
    {
        Assert.Throws<ArgumentException>(() => NewWeek().Apply(Proposal(Aisha, 0, null, ("falls", double.NaN)), Monday));
    }

    [Fact]
    public void Apply_StoresTheTimeInUtc()
    {
        var week = NewWeek();

        var result = week.Apply(Proposal(Aisha, 0, null, ("falls", 2)), new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.FromHours(1)));

        Assert.Equal(TimeSpan.Zero, result.Revision.At.Offset);
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero), result.Revision.At);
    }

    [Fact]
    public void ValuesAfter_ReplaysRevisionsInOrder()
    {
        var week = NewWeek();
        week.Apply(Proposal(Aisha, 0, null, ("falls", 2), ("complaints", 0)), Monday);
        week.Apply(Proposal(Ben, 1, null, ("falls", 3)), Monday.AddMinutes(1));

        Assert.Empty(week.ValuesAfter(0));
        Assert.Equal(Values(("falls", 2), ("complaints", 0)), week.ValuesAfter(1));
        Assert.Equal(Values(("falls", 3), ("complaints", 0)), week.ValuesAfter(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => week.ValuesAfter(3));
    }

    [Fact]
    public void Constructor_FromStoredRevisions_RebuildsTheWeek()
    {
        var original = NewWeek();
        original.Apply(Proposal(Aisha, 0, "First", ("falls", 2)), Monday);
        original.Apply(Proposal(Ben, 1, "Second", ("falls", 3), ("complaints", 1)), Monday.AddMinutes(1));

        var rebuilt = new WeeklySubmission("ward-7", Week, original.Revisions);

        Assert.Equal(original.Current, rebuilt.Current);
        Assert.Equal("Second", rebuilt.CurrentComment);
        Assert.Equal(SubmissionOutcome.Duplicate, rebuilt.Apply(Proposal(Ben, 1, "Second", ("falls", 3), ("complaints", 1)), Monday.AddMinutes(1).AddSeconds(5)).Outcome);
    }

    [Fact]
    public void Constructor_RevisionsOutOfOrder_Throws()
    {
        var revision = new SubmissionRevision(2, Values(("falls", 1)), null, Aisha, Monday, 0, []);

        var exception = Assert.Throws<ArgumentException>(() => new WeeklySubmission("ward-7", Week, [revision]));
        Assert.StartsWith("Revisions of ward-7 2026-W48 must be numbered 1, 2, 3… in order; found 2 at position 1.", exception.Message);
    }
}
