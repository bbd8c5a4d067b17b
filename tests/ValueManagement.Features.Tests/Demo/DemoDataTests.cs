using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using static ValueManagement.Features.Demo.DemoOrganisation;

namespace ValueManagement.Features.Tests.Demo;

/// <summary>The demo data, loaded once (it is deterministic) and read back through the stores.</summary>
public sealed class DemoFixture : IDisposable
{
    /// <summary>Monday 30 November 2026, 09:00 in London: the last completed week is 2026-W48.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    public DemoFixture()
    {
        Database = new VmDatabase(new MemoryStream());
        Result = DemoData.Load(Database, new FakeTimeProvider(Now));
        var audit = new AuditLog(Database);
        Directory = new TeamDirectory(Database, audit, TimeProvider.System);
        Sets = new MeasureSetStore(Database);
        Submissions = new SubmissionStore(Database, audit, TimeProvider.System);
    }

    public VmDatabase Database { get; }
    public DemoLoadResult Result { get; }
    public TeamDirectory Directory { get; }
    public MeasureSetStore Sets { get; }
    public SubmissionStore Submissions { get; }

    /// <summary>A measure's values in week order, derived ones computed as the box score does; weeks without a value are left out.</summary>
    public IReadOnlyList<double> Series(string teamId, string key)
    {
        var set = Sets.Find(Directory.FindTeam(teamId)!.MeasureSetId)!;
        return Submissions.History(teamId)
            .Select(w => set.Compute(w.Current)[key])
            .OfType<double>()
            .ToList();
    }

    public void Dispose() => Database.Dispose();
}

public sealed class DemoDataTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    private static readonly string[] Wards = [Respiratory, CardioEndocrine, ChildrensWard, Morar];

    [Fact]
    public void Load_WritesTheOrganisationAndAYearEndingWithTheLastCompletedWeek()
    {
        Assert.Equal(6, demo.Directory.AllTeams().Count);
        Assert.Equal("NHS Highland", Assert.Single(demo.Directory.AllBoards()).Name);
        Assert.Equal(IsoWeek.Parse("2026-W48"), demo.Result.LastWeek);
        Assert.Equal(IsoWeek.Parse("2025-W49"), demo.Result.FirstWeek);
        foreach (var team in demo.Directory.AllTeams())
        {
            var history = demo.Submissions.History(team.Id);
            Assert.Equal(52, history.Count);
            Assert.Equal(team.Id == DemoHistory.LastWeekNotEntered ? demo.Result.LastWeek.Previous() : demo.Result.LastWeek, history[^1].Week);
        }
        Assert.Equal("6 teams, 24 roles and 52 weeks of figures (2025-W49 to 2026-W48, 623 revisions)", demo.Result.ToString());
    }

    [Fact]
    public void Load_LeavesOneTeamsLastWeekNotEntered()
    {
        var submitted = demo.Directory.AllTeams().Where(t => demo.Submissions.HasSubmission(t.Id, demo.Result.LastWeek)).Select(t => t.Id);

        Assert.Equal(SleepService, DemoHistory.LastWeekNotEntered);
        Assert.Equal(new HashSet<string> { Respiratory, CardioEndocrine, ChildrensWard, Morar, CathLab }, submitted.ToHashSet());
        Assert.True(demo.Submissions.HasSubmission(SleepService, demo.Result.LastWeek.Previous()));
    }

    [Fact]
    public void Load_IncludesTheTestUsersInTheirRoles()
    {
        var roles = demo.Directory.AllRoles();

        Assert.Contains(roles, r => r.AadObjectId == DemoOrganisation.People.SisterJones && r.Role == Core.Organisation.Role.DataLead && r.ScopeId == Respiratory);
        Assert.Contains(roles, r => r.AadObjectId == DemoOrganisation.People.SisterJones && r.Role == Core.Organisation.Role.Member && r.ScopeId == Respiratory);
        Assert.Equal(4, roles.Count(r => r.AadObjectId == DemoOrganisation.People.RaviPatel && r.Role == Core.Organisation.Role.Coach));
        Assert.Contains(roles, r => r.AadObjectId == DemoOrganisation.People.DanaMoss && r.Role == Core.Organisation.Role.Manager && r.ScopeKind == Core.Organisation.RoleScopeKind.Service);
        Assert.Contains(roles, r => r.AadObjectId == DemoOrganisation.People.AliGrant && r.Role == Core.Organisation.Role.Admin);
    }

    [Theory]
    [InlineData("ward 7", Respiratory)]
    [InlineData("resp", Respiratory)]
    [InlineData("morar", Morar)]
    [InlineData("paeds", ChildrensWard)]
    [InlineData("cath lab", CathLab)]
    [InlineData("sleep", SleepService)]
    public void Load_TeamsAnswerToWhatPeopleType(string typed, string team)
    {
        var found = Assert.IsType<Core.Organisation.TeamLookup.Found>(demo.Directory.Resolve(typed));
        Assert.Equal(team, found.Team.Id);
    }

    [Fact]
    public void Organisation_IsAValidTeamSetupFile()
    {
        var read = TeamSetupReader.Read(TeamSetupWriter.Write(Setup), "demo.json");

        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        Assert.All(Setup.MeasureSets, set => Assert.Empty(set.Validate()));
    }

    [Fact]
    public void Load_IsAuditedAsTheDemo()
    {
        var audit = new AuditLog(demo.Database);

        Assert.Equal("system:demo", audit.ForSubject("team", Respiratory).Single().ActorId);
        var weeks = audit.ForSubject("submission", $"{Respiratory}|2026-W48");
        Assert.Equal(["revision 1 (demo)", "revision 2 (demo finance extract)"], weeks.Select(e => e.Action));
        Assert.All(weeks, e => Assert.Equal("system:demo", e.ActorId));
    }

    [Fact]
    public void Revisions_AreDatedWhenTheyWouldHaveBeenSent_NeverAfterNow()
    {
        var weeks = demo.Submissions.History(CardioEndocrine);

        var first = weeks[0];
        Assert.Equal(new DateTimeOffset(2025, 12, 8, 10, 0, 0, TimeSpan.Zero), first.Revisions[0].At);
        Assert.Equal(new DateTimeOffset(2025, 12, 10, 15, 0, 0, TimeSpan.Zero), first.Revisions[1].At);
        var summer = weeks.Single(w => w.Week == IsoWeek.Parse("2026-W27"));
        Assert.Equal(new DateTimeOffset(2026, 7, 6, 9, 0, 0, TimeSpan.Zero), summer.Revisions[0].At);
        Assert.All(weeks.SelectMany(w => w.Revisions), r => Assert.True(r.At <= DemoFixture.Now));
    }

    [Fact]
    public void EveryValue_FitsItsMeasure_AndEveryWeekIsComplete()
    {
        foreach (var team in demo.Directory.AllTeams())
        {
            var set = demo.Sets.Find(team.MeasureSetId)!;
            foreach (var week in demo.Submissions.History(team.Id))
            {
                foreach (var (key, value) in week.Current)
                {
                    var measure = set[key];
                    Assert.False(measure.IsDerived, key);
                    Assert.NotNull(value);
                    Assert.InRange(value!.Value, measure.Min ?? double.MinValue, measure.Max ?? double.MaxValue);
                    Assert.Equal(Math.Round(value.Value, measure.IsInteger ? 0 : measure.Decimals), value.Value);
                }
                Assert.All(set.Measures.Where(m => m.IsRequired), m => Assert.True(week.Current.ContainsKey(m.Key), $"{team.Id} {week.Week} {m.Key}"));
            }
        }
    }

    [Fact]
    public void Load_IsDeterministic()
    {
        using var again = new VmDatabase(new MemoryStream());
        DemoData.Load(again, new FakeTimeProvider(DemoFixture.Now));
        var submissions = new SubmissionStore(again, new AuditLog(again), TimeProvider.System);

        foreach (var team in Setup.Teams)
        {
            Assert.Equal(
                demo.Submissions.History(team.Id).Select(w => w.Current.OrderBy(v => v.Key).ToList()),
                submissions.History(team.Id).Select(w => w.Current.OrderBy(v => v.Key).ToList()));
        }
    }

    [Theory]
    [InlineData(Respiratory, 438.5, 0.21)]
    [InlineData(CardioEndocrine, 471.6, 0.11)]
    [InlineData(ChildrensWard, 370.5, 0.10)]
    [InlineData(Morar, 939.2, 0.12)]
    [InlineData(CathLab, 1219.5, 0.13)]
    [InlineData(SleepService, 49.8, 0.16)]
    public void CostPerPatientWeek_FallsAsPublished_ToThePublishedFigure(string team, double published, double fall)
    {
        var cost = demo.Series(team, "costPerPatientWeek");

        Assert.Equal(published, Math.Round(cost[^1], 2));
        var baseline = cost.Take(12).Average();
        Assert.InRange(1 - published / baseline, fall - 0.015, fall + 0.015);
        Assert.InRange(1 - cost.TakeLast(12).Average() / baseline, fall - 0.02, fall + 0.02);
    }

    [Theory]
    [InlineData(Respiratory, "patientsAdmitted", 0.30)]
    [InlineData(SleepService, "patientsSeen", 1.15)]
    [InlineData(CardioEndocrine, "patientsAdmitted", 0.02)]
    public void PatientsPerWeek_RiseAsPublished(string team, string key, double rise)
    {
        var patients = demo.Series(team, key);

        var change = patients.TakeLast(12).Average() / patients.Take(12).Average() - 1;

        Assert.InRange(change, rise - 0.04, rise + 0.04);
    }

    [Fact]
    public void Falls_DropAboutAQuarter_AcrossTheWards()
    {
        var before = Wards.Sum(team => demo.Series(team, "falls").Take(12).Sum());
        var after = Wards.Sum(team => demo.Series(team, "falls").TakeLast(12).Sum());

        Assert.InRange(1 - after / before, 0.22, 0.30);
    }

    [Fact]
    public void Morar_IsAwaitingFinanceDataForTheLatestWeekOnly()
    {
        foreach (var team in demo.Directory.AllTeams())
        {
            var weeks = demo.Submissions.History(team.Id);
            foreach (var week in weeks)
            {
                var awaiting = team.Id == Morar && week.Week == demo.Result.LastWeek;
                Assert.Equal(!awaiting, week.Current.ContainsKey("payCost"));
                Assert.Equal(!awaiting, week.Current.ContainsKey("nonPayCost"));
            }
        }
        var set = demo.Sets.Find(InpatientPsychiatry.Id)!;
        Assert.Null(set.Compute(demo.Submissions.Load(Morar, demo.Result.LastWeek).Current)["costPerPatientWeek"]);
        Assert.Equal(51, demo.Series(Morar, "costPerPatientWeek").Count);
    }

    [Fact]
    public void Comments_AreKeptWhenTheFinanceDataArrives()
    {
        var week = demo.Submissions.History(ChildrensWard)[44];

        Assert.Equal("RSV surge: agency nurses covered night shifts.", week.CurrentComment);
        Assert.Equal(2, week.Revisions.Count);
    }

    /// <summary>
    /// Every kind of XmR signal, in improvement and in concern, where DemoHistory says it is: the
    /// integrator can run the signal engine on the same series and expect the same.
    /// </summary>
    [Theory]
    [InlineData(Respiratory, "costPerPatientWeek", XmrRule.OutsideLimits, Side.Up, "concern: the old cost level")]
    [InlineData(Respiratory, "costPerPatientWeek", XmrRule.OutsideLimits, Side.Down, "improvement: the new cost level")]
    [InlineData(ChildrensWard, "agencyHours", XmrRule.OutsideLimits, Side.Up, "concern: the RSV surge")]
    [InlineData(Respiratory, "dischargesBeforeNoon", XmrRule.Trend, Side.Up, "improvement")]
    [InlineData(SleepService, "waitingOver12Weeks", XmrRule.Trend, Side.Down, "improvement")]
    [InlineData(Morar, "bankHours", XmrRule.Trend, Side.Up, "concern")]
    [InlineData(CardioEndocrine, "sicknessAbsence", XmrRule.TwoOfThree, Side.Up, "concern")]
    [InlineData(CathLab, "dnaRate", XmrRule.TwoOfThree, Side.Down, "improvement")]
    [InlineData(Respiratory, "patientsAdmitted", XmrRule.Shift, Side.Up, "improvement")]
    [InlineData(CardioEndocrine, "vacanciesWte", XmrRule.Shift, Side.Up, "concern")]
    public void Xmr_SignalsAppearWhereDesigned(string team, string key, XmrRule rule, Side side, string meaning)
    {
        var series = demo.Series(team, key);
        var marks = ShapeChecks.Xmr(series);

        Assert.True(series.Count >= 12, "XmR is used from 12 points");
        Assert.True(marks.Any(m => m.Rule == rule && m.Side == side), $"{team} {key}: expected {rule} {side} ({meaning}); found {string.Join(", ", marks.Select(m => $"{m.Index}:{m.Rule}:{m.Side}"))}");
    }

    [Fact]
    public void Xmr_TheDesignedSignals_AreAtTheDesignedWeeks()
    {
        Assert.Equal(Enumerable.Range(20, 7), ShapeChecks.Xmr(demo.Series(Respiratory, "dischargesBeforeNoon")).Where(m => m.Rule == XmrRule.Trend).Select(m => m.Index));
        Assert.Superset(Enumerable.Range(45, 7).ToHashSet(), ShapeChecks.Xmr(demo.Series(Morar, "bankHours")).Where(m => m.Rule == XmrRule.Trend).Select(m => m.Index).ToHashSet());
        Assert.Equal([44], ShapeChecks.Xmr(demo.Series(ChildrensWard, "agencyHours")).Where(m => m.Rule == XmrRule.OutsideLimits).Select(m => m.Index));
        Assert.Equal([49, 51], ShapeChecks.Xmr(demo.Series(CardioEndocrine, "sicknessAbsence")).Where(m => m.Rule == XmrRule.TwoOfThree).Select(m => m.Index));
        Assert.Equal([30, 32], ShapeChecks.Xmr(demo.Series(CathLab, "dnaRate")).Where(m => m.Rule == XmrRule.TwoOfThree).Select(m => m.Index));
        // The waiting list halves: its fall starts as a trend, and the later points are outside the limits (both improvement).
        var waiting = demo.Series(SleepService, "waitingOver12Weeks");
        Assert.All(Enumerable.Range(38, 7), i => Assert.True(waiting[i] < waiting[i - 1], $"week {i}"));
        var marks = ShapeChecks.Xmr(waiting).Where(m => m.Index is >= 37 and <= 44).ToList();
        Assert.Equal(Enumerable.Range(37, 8), marks.Select(m => m.Index));
        Assert.All(marks, m => Assert.Equal(Side.Down, m.Side));
        Assert.Contains(marks, m => m.Rule == XmrRule.Trend);
    }

    /// <summary>Run chart rules, on the measures recorded for fewer than 12 weeks (where the run chart is used), and a shift of 6 on a long series.</summary>
    [Theory]
    [InlineData(CathLab, "sameDayDischarge", 11, RunRule.TooFewRuns)]
    [InlineData(CathLab, "sameDayDischarge", 11, RunRule.Trend)]
    [InlineData(CathLab, "onCallHours", 11, RunRule.TooManyRuns)]
    [InlineData(SleepService, "remoteReviews", 10, RunRule.Trend)]
    [InlineData(SleepService, "remoteReviews", 10, RunRule.TooFewRuns)]
    [InlineData(Respiratory, "costPerPatientWeek", 52, RunRule.Shift)]
    [InlineData(SleepService, "patientsSeen", 52, RunRule.TooFewRuns)]
    public void RunChart_SignalsAppearWhereDesigned(string team, string key, int points, RunRule rule)
    {
        var series = demo.Series(team, key);

        Assert.Equal(points, series.Count);
        Assert.Contains(rule, ShapeChecks.RunChart(series));
    }
}

public sealed class DemoDataLoadingTests : IDisposable
{
    private readonly VmDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(DemoFixture.Now);

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Load_IntoAFileWithAnOrganisation_IsRefused_AndChangesNothing()
    {
        new TeamDirectory(_database, new AuditLog(_database), _time).ReplaceAll(
            TeamSetupReader.Read(Tests.TeamSetup.TeamSetupFiles.Example, "teams.json").Document!, new Actor("admin", "Admin"));
        var audit = new AuditLog(_database).Count();

        var error = Assert.Throws<DemoDataRefusedException>(() => DemoData.Load(_database, _time));

        Assert.Equal(
            "The data file :memory: is not empty (it holds 1 board, 2 services, 3 teams, 7 roles, 1 measure set): demo data is only loaded into an empty data file. Use a new file, for example: vm demo load --db data/demo.db",
            error.Message);
        Assert.Equal(3, new TeamDirectory(_database, new AuditLog(_database), _time).AllTeams().Count);
        Assert.Equal(audit, new AuditLog(_database).Count());
    }

    [Fact]
    public void Load_IntoAFileWithFiguresOnly_IsRefused()
    {
        new SubmissionStore(_database, new AuditLog(_database), _time).Submit("ward-7", IsoWeek.Parse("2026-W48"),
            new Core.Submissions.SubmissionProposal(new Dictionary<string, double?> { ["falls"] = 1 }, null, new Core.Submissions.Submitter("x", "x"), 0), "form");

        Assert.False(DemoData.IsEmpty(_database));
        Assert.Contains("1 week of figures", Assert.Throws<DemoDataRefusedException>(() => DemoData.Load(_database, _time)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OnASundayNightInSummer_EndsWithTheWeekBefore()
    {
        // Sunday 5 July 2026, 23:30 in London (BST) is 22:30 UTC: week 2026-W27 is not over yet.
        var result = DemoData.Load(_database, new FakeTimeProvider(new DateTimeOffset(2026, 7, 5, 22, 30, 0, TimeSpan.Zero)));

        Assert.Equal(IsoWeek.Parse("2026-W26"), result.LastWeek);
    }

    [Fact]
    public void Load_WithTheLatestRevisionsDueLaterThanNow_DatesThemNow()
    {
        var now = new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.Zero);

        DemoData.Load(_database, new FakeTimeProvider(now));

        var latest = new SubmissionStore(_database, new AuditLog(_database), _time).Load(Respiratory, IsoWeek.Parse("2026-W48"));
        Assert.All(latest.Revisions, r => Assert.Equal(now, r.At));
    }
}
