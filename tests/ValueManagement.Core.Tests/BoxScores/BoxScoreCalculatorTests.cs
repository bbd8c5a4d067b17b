using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.BoxScores;

public sealed class BoxScoreCalculatorTests
{
    private static readonly MeasureSet Set = DefaultMeasureSets.AcuteWard;
    private static readonly IsoWeek Week = new(2026, 48);

    private static WeekValues At(IsoWeek week, params (string Key, double? Value)[] values) =>
        new(week, values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));

    [Fact]
    public void ThisWeek_LastWeek_Rating_AndChangeArrow_FollowTheMeasureDirection()
    {
        var score = BoxScoreCalculator.Compute(Set, Week,
        [
            At(Week.Previous(), ("falls", 2), ("dischargesBeforeNoon", 30), ("occupiedBedDays", 190), ("complaints", 1)),
            At(Week, ("falls", 3), ("dischargesBeforeNoon", 40), ("occupiedBedDays", 180), ("complaints", 1)),
        ]);

        var falls = score.Line("falls")!;
        Assert.Equal((3.0, 2.0), (falls.ThisWeek, falls.LastWeek));
        Assert.Equal((ChangeArrow.Up, ChangeQuality.Worse), (falls.Change.Arrow, falls.Change.Quality));
        Assert.Equal(Rating.Red, falls.Rating);
        Assert.Equal("▲ 1 worse", falls.ChangeText);

        var discharges = score.Line("dischargesBeforeNoon")!;
        Assert.Equal((ChangeArrow.Up, ChangeQuality.Better, Rating.Green), (discharges.Change.Arrow, discharges.Change.Quality, discharges.Rating));

        var beds = score.Line("occupiedBedDays")!;
        Assert.Equal((ChangeArrow.Down, ChangeQuality.Neutral, Rating.None), (beds.Change.Arrow, beds.Change.Quality, beds.Rating));
        Assert.Equal("▼ 10", beds.ChangeText);

        var complaints = score.Line("complaints")!;
        Assert.Equal((ChangeArrow.Level, ChangeQuality.Same), (complaints.Change.Arrow, complaints.Change.Quality));
        Assert.Equal(Rating.Amber, complaints.Rating);
    }

    [Fact]
    public void Change_ComparesValuesAsShown()
    {
        var measure = Set["sicknessAbsence"]; // one decimal
        var change = BoxScoreCalculator.ChangeOf(measure, 4.04, 3.96);
        Assert.Equal(ChangeArrow.Level, change.Arrow);
        Assert.Equal(BoxScoreChange.None, BoxScoreCalculator.ChangeOf(measure, 4, null));
    }

    [Fact]
    public void DerivedMeasures_AreComputedForEveryWeek_AndTheHeadlineIsCostPerPatientWeek()
    {
        var score = BoxScoreCalculator.Compute(Set, Week,
        [
            At(Week.AddWeeks(-1), ("payCost", 11000), ("nonPayCost", 2000), ("patientsAdmitted", 26)),
            At(Week, ("payCost", 10000), ("nonPayCost", 2000), ("patientsAdmitted", 30)),
        ]);

        var headline = score.Headline!;
        Assert.Equal("costPerPatientWeek", headline.Key);
        Assert.Equal(400, headline.ThisWeek);
        Assert.Equal(500, headline.LastWeek);
        Assert.Equal((ChangeArrow.Down, ChangeQuality.Better), (headline.Change.Arrow, headline.Change.Quality));
        Assert.Equal(Rating.Green, headline.Rating);
        Assert.Equal(12, headline.Recent.Count);
        Assert.Equal([500.0, 400.0], headline.Recent.TakeLast(2).Select(v => v!.Value));
        Assert.All(headline.Recent.Take(10), v => Assert.Null(v));
        Assert.Equal(12000, score.Line("totalCost")!.ThisWeek);
    }

    [Fact]
    public void Headline_CanBeChosen_AndIsAbsentWhenTheSetHasNone()
    {
        var history = new[] { At(Week, ("falls", 1)) };
        Assert.Equal("falls", BoxScoreCalculator.Compute(Set, Week, history, new BoxScoreOptions { HeadlineKey = "falls" }).Headline!.Key);
        var noCost = new MeasureSet("small", "Small", [Set["falls"], Set["complaints"]]);
        Assert.Null(BoxScoreCalculator.Compute(noCost, Week, history).Headline);
    }

    [Fact]
    public void MissingData_SaysWhy_AndTheWeekIsCompleteWithoutFinance()
    {
        var entered = Set.Measures.Where(m => m.IsEntered && m.IsRequired).Select(m => (m.Key, (double?)1)).ToArray();
        var score = BoxScoreCalculator.Compute(Set, Week, [At(Week, entered)]);

        Assert.True(score.HasFigures);
        Assert.True(score.Completeness.IsComplete);
        Assert.Equal(["payCost", "nonPayCost"], score.Completeness.AwaitingImport.Select(m => m.Key));
        Assert.Equal("awaiting finance data", score.Line("payCost")!.ThisWeekText);
        Assert.Equal("—", score.Line("costPerPatientWeek")!.ThisWeekText);
        Assert.Equal(Rating.None, score.Line("costPerPatientWeek")!.Rating);
        Assert.Equal("—", score.Line("falls")!.ChangeText);

        var empty = BoxScoreCalculator.Compute(Set, Week, []);
        Assert.False(empty.HasFigures);
        Assert.False(empty.Completeness.IsComplete);
        Assert.Equal("not recorded", empty.Line("falls")!.ThisWeekText);
        Assert.Equal("no data yet", empty.Line("falls")!.SignalText);
    }

    [Fact]
    public void ZeroDenominator_ShowsADash()
    {
        var score = BoxScoreCalculator.Compute(Set, Week, [At(Week, ("payCost", 1000), ("nonPayCost", 10), ("patientsAdmitted", 0))]);
        Assert.Null(score.Line("costPerPatientWeek")!.ThisWeek);
        Assert.Equal("—", score.Line("costPerPatientWeek")!.ThisWeekText);
    }

    [Fact]
    public void SampledMeasure_ShowsTheLatestSampleWithItsWeek_AgainstTheSampleBefore()
    {
        var score = BoxScoreCalculator.Compute(Set, Week,
        [
            At(new IsoWeek(2026, 40), ("rnDirectCareTime", 50)),
            At(new IsoWeek(2026, 45), ("rnDirectCareTime", 55)),
            At(Week, ("falls", 1)),
        ]);

        var line = score.Line("rnDirectCareTime")!;
        Assert.Equal(55, line.ThisWeek);
        Assert.Equal(new IsoWeek(2026, 45), line.SampleWeek);
        Assert.Equal(50, line.LastWeek);
        Assert.Equal(new IsoWeek(2026, 40), line.LastWeekWeek);
        Assert.Equal((ChangeArrow.Up, ChangeQuality.Better), (line.Change.Arrow, line.Change.Quality));
        Assert.Equal(Rating.Amber, line.Rating); // target 60, tolerance 10
        Assert.Equal([50.0, 55.0], line.Recent.Select(v => v!.Value));
        Assert.Equal(2, line.Signal!.Points.Count);
    }

    [Fact]
    public void Signal_IsJudgedOverTheHistoryUpToTheWeek()
    {
        // 12 weeks around 4 falls, then 7 weeks at 1: a shift below the mean, an improvement (lower is better).
        var history = Enumerable.Range(0, 19)
            .Select(i => At(Week.AddWeeks(i - 18), ("falls", i < 12 ? 4 + (i % 3) - 1 : 1)))
            .ToList();
        // A later week must not count.
        history.Add(At(Week.Next(), ("falls", 9)));

        var line = BoxScoreCalculator.Compute(Set, Week, history).Line("falls")!;

        Assert.Equal(19, line.Signal!.Points.Count);
        Assert.Equal(SpecialCause.Improvement, line.SpecialCause);
        Assert.StartsWith("⊕ improving", line.SignalText, StringComparison.Ordinal);
        Assert.Equal(1, line.ThisWeek);
    }

    [Fact]
    public void NoSignal_ReadsNoSignal()
    {
        var history = Enumerable.Range(0, 14).Select(i => At(Week.AddWeeks(i - 13), ("falls", i % 2 == 0 ? 2 : 3))).ToList();
        Assert.Equal("no signal", BoxScoreCalculator.Compute(Set, Week, history).Line("falls")!.SignalText);
    }

    [Fact]
    public void Rollup_FlagsAndPutsFirst_TeamsWithAConcernThisWeekOrTheHeadlineOffTargetTwice_NotAOneOffRed()
    {
        // 15 weeks of falls around 2, then this week's value; cost per patient £380 and £470 in turn (on and near its
        // £450 target, wide limits) unless given for last week or this.
        RollupTeam Team(string id, string service, double fallsThisWeek, double? costLastWeek = null, double? costThisWeek = null) =>
            new(id, id, service, service, Set, [.. Enumerable.Range(0, 16).Select(i => At(Week.AddWeeks(i - 15),
                ("falls", i < 15 ? 2 + i % 2 : fallsThisWeek),
                ("payCost", ((i == 14 ? costLastWeek : i == 15 ? costThisWeek : null) ?? (i % 2 == 0 ? 380 : 470)) * 30),
                ("nonPayCost", 0), ("patientsAdmitted", 30)))]);

        var rollup = RollupCalculator.Compute(
        [
            Team("a", "Medicine", 2), Team("b", "Medicine", 9), Team("c", "Surgery", 5),
            Team("d", "Cardiology", 2, costLastWeek: 520, costThisWeek: 530), Team("e", "Cardiology", 2, costThisWeek: 530),
        ], Week);

        Assert.Equal(["d", "e", "b", "a", "c"], rollup.Rows.Select(r => r.TeamId));
        var byId = rollup.Rows.ToDictionary(r => r.TeamId);
        Assert.True(byId["b"].NeedsAttention); // 9 falls: above the upper limit, a special cause of concern
        Assert.Equal("falls", Assert.Single(byId["b"].Attention).Key);
        Assert.False(byId["c"].NeedsAttention); // 5 falls: off target this week, but within the usual variation
        Assert.True(byId["c"].Red > 0);
        Assert.True(byId["d"].NeedsAttention); // the headline off target this week and last
        Assert.True(byId["d"].HeadlineOffTargetAgain);
        Assert.False(byId["e"].NeedsAttention); // off target this week only
        Assert.False(byId["a"].NeedsAttention);
        Assert.Equal(2, rollup.TeamsNeedingAttention);
    }
}
