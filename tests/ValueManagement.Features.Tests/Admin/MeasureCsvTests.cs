using System.Text;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Features.Tests.TeamSetup;

namespace ValueManagement.Features.Tests.Admin;

public sealed class MeasureCsvTests : IDisposable
{
    private static readonly Submitter Nurse = new("11111111-1111-1111-1111-111111111111", "Sister Jones");
    private static readonly IsoWeek W47 = IsoWeek.Parse("2026-W47");
    private static readonly IsoWeek W48 = IsoWeek.Parse("2026-W48");

    private readonly VmDatabase _database = new(new MemoryStream());
    // Monday 30 November 2026: the current week is 2026-W49.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly AuditLog _audit;
    private readonly SubmissionStore _submissions;
    private readonly MeasureCsvImporter _importer;
    private readonly MeasureCsvExporter _exporter;

    public MeasureCsvTests()
    {
        _audit = new AuditLog(_database);
        var directory = new TeamDirectory(_database, _audit, _time);
        var sets = new MeasureSetStore(_database);
        directory.ReplaceAll(TeamSetupFiles.Read(TeamSetupFiles.Small).Document!, new Actor("admin", "Admin"));
        _submissions = new SubmissionStore(_database, _audit, _time);
        _importer = new MeasureCsvImporter(directory, sets, _submissions, _time);
        _exporter = new MeasureCsvExporter(directory, sets, _submissions);
    }

    public void Dispose() => _database.Dispose();

    private MeasureImportReport Import(string csv, MeasureImportOptions? options = null, string file = "costs.csv") =>
        _importer.Import(Encoding.UTF8.GetBytes(csv), file, options ?? new MeasureImportOptions(), "ali");

    private const string Costs = """
        team,week,measure,value
        ward-7,2026-W47,payCost,21000
        ward-7,2026-W47,nonPayCost,3400.5
        ward-7,2026-W48,payCost,20500
        ward 8,2026-W48,payCost,18000
        """;

    [Fact]
    public void Import_StoresEachWeekAsARevisionByTheImporter()
    {
        var report = Import(Costs);

        Assert.Equal(["costs.csv imported (4 values for 2 teams, 2026-W47 to 2026-W48): 4 values changed in 3 weeks (a new revision each), 0 already stored."], report.Lines());
        var week = _submissions.Load("ward-7", W47);
        var revision = Assert.Single(week.Revisions);
        Assert.Equal(new Submitter("import:costs.csv", "Import of costs.csv (ali)"), revision.By);
        Assert.Equal(21000, week.Current["payCost"]);
        Assert.Equal(3400.5, week.Current["nonPayCost"]);
        Assert.Equal(18000, _submissions.Load("ward-8", W48).Current["payCost"]);
        var entry = Assert.Single(_audit.ForSubject("submission", "ward-7|2026-W47"));
        Assert.Equal("revision 1 (import costs.csv)", entry.Action);
        Assert.Equal("import:costs.csv", entry.ActorId);
    }

    [Fact]
    public void Import_TheSameFileAgain_ChangesNothing()
    {
        Import(Costs);
        var audit = _audit.Count();

        var report = Import(Costs);

        Assert.Equal(["costs.csv imported (4 values for 2 teams, 2026-W47 to 2026-W48): nothing changed, every value was already stored."], report.Lines());
        Assert.Single(_submissions.Load("ward-7", W47).Revisions);
        Assert.Equal(audit, _audit.Count());
    }

    [Fact]
    public void Import_ChangedValue_AddsARevisionWithOnlyThatValue_AndKeepsTheTeamsComment()
    {
        _submissions.Submit("ward-7", W47, new SubmissionProposal(new Dictionary<string, double?> { ["falls"] = 3 }, "Two falls at night.", Nurse, 0), "form");
        Import(Costs);

        var report = Import(Costs.Replace("nonPayCost,3400.5", "nonPayCost,3500", StringComparison.Ordinal));

        Assert.Equal(1, report.ValuesChanged);
        var week = _submissions.Load("ward-7", W47);
        Assert.Equal(3, week.Revisions.Count);
        Assert.Equal(new Dictionary<string, double?> { ["nonPayCost"] = 3500 }, week.Revisions[^1].Values);
        Assert.Equal("Two falls at night.", week.CurrentComment);
        Assert.Equal(3, week.Current["falls"]);
        Assert.DoesNotContain(_audit.ForSubject("submission", "ward-7|2026-W47"), e => e.Changes.Any(c => c.Field == "comment" && e.ActorId.StartsWith("import:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Import_BadRows_AreAllReportedWithTheirLines_AndNothingIsStored()
    {
        var csv = """
            team,week,measure,value
            ward-7,2026-W47,payCost,21000
            ward-9,2026-W47,payCost,100
            ward-7,2026-W5,payCost,100
            ward-7,2026-W47,payCosts,100
            ward-7,2026-W47,falls,2
            ward-7,2026-W47,totalCost,100
            ward-7,2026-W48,payCost,lots
            ward-7,2026-W48,nonPayCost,"1,234"
            ward-7,2026-W46,payCost,-5
            ward-7,2026-W46,nonPayCost,
            ward-7,2026-W47,payCost,21000
            ward-7,2026-W50,payCost,100
            ward-7,2026-W45
            ward-7,2026-W45,payCost,"12"3

            ward-8,2026-W45,nonPayCost,£12
            """;

        var report = Import(csv);

        Assert.False(report.Valid);
        Assert.Equal(
            [
                "costs.csv: 14 bad rows (14 problems); nothing was changed.",
                "costs.csv:3: team \"ward-9\" does not exist (teams: ward-7, ward-8)",
                "costs.csv:4: week: '2026-W5' is not a week: write it like 2026-W48 (year, W, two-digit week number).",
                "costs.csv:5: measure \"payCosts\" is not in ward-7's measure set acute-ward; did you mean \"payCost\"? (measures this file can carry for ward-7: payCost, nonPayCost)",
                "costs.csv:6: measure falls is entered by the team on the weekly form, not imported (imported measures of ward-7: payCost, nonPayCost); to load past figures a team kept elsewhere, import with --allow-entered",
                "costs.csv:7: measure totalCost is derived (payCost + nonPayCost) and is computed, never imported (measures this file can carry for ward-7: payCost, nonPayCost)",
                "costs.csv:8: value: \"lots\" is not a number: write digits with a point for decimals, without £ or %, for example 1234.5",
                "costs.csv:9: value: \"1,234\": write the number without commas, for example 1234.5 (not 1,234.5)",
                "costs.csv:10: value: -5 is out of range for payCost: Pay cost must be a number between £0 and £1000000.",
                "costs.csv:11: value: the value is empty; leave the row out when there is no figure",
                "costs.csv:12: ward-7 2026-W47 payCost is already given on line 2: give each value once",
                "costs.csv:13: week 2026-W50 has not started yet for ward-7: it starts on Monday 7 December 2026",
                "costs.csv:14: the line has 2 fields; each line needs team, week, measure and value",
                "costs.csv:15: the quotes on this line are malformed (text after a closing quote): put quotes only around a whole field",
                "costs.csv:17: value: \"£12\" is not a number: write digits with a point for decimals, without £ or %, for example 1234.5",
            ],
            report.Lines());
        Assert.Empty(_submissions.History("ward-7"));
        Assert.Empty(_submissions.History("ward-8"));
    }

    [Theory]
    [InlineData("team,week,measure\nward-7,2026-W47,payCost", "costs.csv:1: the header must name the columns team, week, measure and value; missing: value (found: team, week, measure).")]
    [InlineData("team;week;measure;value\nward-7;2026-W47;payCost;1", "costs.csv:1: the header must name the columns team, week, measure and value; missing: team, week, measure, value (found: team;week;measure;value). The file is separated by semicolons: save it with commas.")]
    [InlineData("", "costs.csv:1: the file is empty: the first line must be the header team,week,measure,value")]
    public void Import_BadHeader_IsReported(string csv, string expected)
    {
        Assert.Equal(expected, Assert.Single(Import(csv).Problems).ToString());
    }

    [Fact]
    public void Import_HeaderInAnyOrderAndCase_WithExtraColumns_AndTeamsByAlias()
    {
        var csv = "Value,Cost centre,Measure,Week,TEAM\r\n21000,C123,payCost,2026-W47,Respiratory\r\n";

        var report = Import(csv);

        Assert.True(report.Valid, string.Join("\n", report.Lines()));
        Assert.Equal(21000, _submissions.Load("ward-7", W47).Current["payCost"]);
    }

    [Fact]
    public void Import_EnteredMeasures_WhenAllowed()
    {
        var report = Import("team,week,measure,value\nward-7,2026-W40,falls,2\nward-7,2026-W40,sicknessAbsence,4.5\n", new MeasureImportOptions(AllowEntered: true), "spreadsheet.csv");

        Assert.True(report.Applied, string.Join("\n", report.Lines()));
        Assert.Equal(4.5, _submissions.Load("ward-7", IsoWeek.Parse("2026-W40")).Current["sicknessAbsence"]);
    }

    [Fact]
    public void Import_WholeNumberMeasure_RefusesAFraction()
    {
        var report = Import("team,week,measure,value\nward-7,2026-W40,falls,2.5\n", new MeasureImportOptions(AllowEntered: true));

        Assert.Equal("costs.csv:2: value: 2.5 is out of range for falls: Falls must be a whole number between 0 and 50.", Assert.Single(report.Problems).ToString());
    }

    [Fact]
    public void Check_SaysWhatWouldChange_AndStoresNothing()
    {
        var report = Import(Costs, new MeasureImportOptions(CheckOnly: true));

        Assert.Equal(["costs.csv is valid (4 values for 2 teams, 2026-W47 to 2026-W48); 4 values would change in 3 weeks, 0 already stored; nothing was changed (check only)."], report.Lines());
        Assert.Empty(_submissions.History("ward-7"));
    }

    [Fact]
    public void Export_WritesCurrentValuesPerWeek_InMeasureSetOrder()
    {
        Import(Costs);
        _submissions.Submit("ward-7", W47, new SubmissionProposal(new Dictionary<string, double?> { ["falls"] = 3, ["sicknessAbsence"] = 4.25, ["complaints"] = null }, null, Nurse, 1), "form");
        _submissions.Submit("ward-7", W47, new SubmissionProposal(new Dictionary<string, double?> { ["falls"] = 2 }, null, Nurse, 2), "form");

        var csv = Encoding.UTF8.GetString(_exporter.Export(["ward-7"], from: null, to: null));

        Assert.Equal(
            "team,week,measure,value\r\n"
            + "ward-7,2026-W47,falls,2\r\n"
            + "ward-7,2026-W47,sicknessAbsence,4.25\r\n"
            + "ward-7,2026-W47,payCost,21000\r\n"
            + "ward-7,2026-W47,nonPayCost,3400.5\r\n"
            + "ward-7,2026-W48,payCost,20500\r\n",
            csv);
    }

    [Fact]
    public void Export_FromTo_LimitsTheWeeks_AndEveryTeamWhenNoneIsNamed()
    {
        Import(Costs);

        var csv = Encoding.UTF8.GetString(_exporter.Export([], from: W48, to: W48));

        Assert.Equal("team,week,measure,value\r\nward-7,2026-W48,payCost,20500\r\nward-8,2026-W48,payCost,18000\r\n", csv);
    }

    [Fact]
    public void ExportThenImport_ChangesNothing()
    {
        Import(Costs);
        _submissions.Submit("ward-7", W47, new SubmissionProposal(new Dictionary<string, double?> { ["sicknessAbsence"] = 1.0 / 3 }, null, Nurse, 1), "form");
        var audit = _audit.Count();

        var report = _importer.Import(_exporter.Export([], null, null), "export.csv", new MeasureImportOptions(AllowEntered: true), "ali");

        Assert.True(report.Valid, string.Join("\n", report.Lines()));
        Assert.Equal(0, report.ValuesChanged);
        Assert.Equal(audit, _audit.Count());
    }

    [Fact]
    public void SubmitMany_WithOneImpossibleItem_StoresNone()
    {
        var proposal = new SubmissionProposal(new Dictionary<string, double?> { ["payCost"] = 1 }, null, Nurse, 0);
        var impossible = proposal with { BasedOnRevision = 5 };

        Assert.Throws<ArgumentOutOfRangeException>(() => _submissions.SubmitMany(
            [new SubmissionBatchItem("ward-7", W47, proposal), new SubmissionBatchItem("ward-7", W48, impossible)], "test"));

        Assert.Empty(_submissions.History("ward-7"));
        Assert.Equal(0, _audit.ForTeam("ward-7").Count(e => e.Subject == "submission"));
    }

    [Fact]
    public void SubmitMany_SameWeekTwice_MakesTwoRevisions()
    {
        var first = new SubmissionProposal(new Dictionary<string, double?> { ["payCost"] = 1 }, null, Nurse, 0);
        var second = new SubmissionProposal(new Dictionary<string, double?> { ["nonPayCost"] = 2 }, "Costs in.", new Submitter("import:x", "x"), 1);

        var results = _submissions.SubmitMany([new SubmissionBatchItem("ward-7", W47, first), new SubmissionBatchItem("ward-7", W47, second)], "test");

        Assert.Equal([1, 2], results.Select(r => r.Revision.Number));
        var week = _submissions.Load("ward-7", W47);
        Assert.Equal(2, week.Revisions.Count);
        Assert.Equal("Costs in.", week.CurrentComment);
        Assert.Equal(2, _audit.ForSubject("submission", "ward-7|2026-W47").Count);
    }

    [Fact]
    public void SubmitMany_InsideTheCallersTransaction_IsUndoneWithIt()
    {
        var proposal = new SubmissionProposal(new Dictionary<string, double?> { ["payCost"] = 1 }, null, Nurse, 0);
        _database.Database.BeginTrans();
        _submissions.SubmitMany([new SubmissionBatchItem("ward-7", W47, proposal)], "test");
        _database.Database.Rollback();

        Assert.Empty(_submissions.History("ward-7"));
    }
}
