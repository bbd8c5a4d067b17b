using System.Text;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Core.Measures;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using static ValueManagement.Features.Tests.TeamSetup.TeamSetupFiles;

namespace ValueManagement.Features.Tests.TeamSetup;

public sealed class TeamSetupImporterTests : IDisposable
{
    private static readonly Actor Admin = new("44444444-4444-4444-4444-444444444444", "Ali Grant");

    private readonly VmDatabase _database = new(new MemoryStream());
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly TeamDirectory _directory;
    private readonly AuditLog _audit;
    private readonly TeamSetupImporter _importer;
    private readonly TeamSetupExporter _exporter;

    public TeamSetupImporterTests()
    {
        _audit = new AuditLog(_database);
        _directory = new TeamDirectory(_database, _audit, _time);
        _importer = new TeamSetupImporter(_directory);
        _exporter = new TeamSetupExporter(_directory, new MeasureSetStore(_database));
    }

    public void Dispose() => _database.Dispose();

    private TeamSetupImportReport Import(string json) => _importer.Import(Encoding.UTF8.GetBytes(json), "teams.json", Admin);

    [Fact]
    public void Import_Example_StoresEverything()
    {
        var report = _importer.Import(Example, "teams.example.json", Admin);

        Assert.True(report.Applied, string.Join("\n", report.Lines()));
        Assert.Equal(3, _directory.AllTeams().Count);
        Assert.Equal("outpatient-clinic", Assert.Single(new MeasureSetStore(_database).Imported()).Id);
        Assert.Equal("totalCost / patientsSeen", new MeasureSetStore(_database).Find("outpatient-clinic")!["costPerPatientWeek"].Formula);
        Assert.Equal(2, _directory.RolesOf("22222222-2222-2222-2222-222222222222").Count);
        Assert.Equal(
            "teams.example.json imported (1 board, 2 services, 1 measure set, 3 teams, 7 roles).",
            report.Lines()[0]);
        Assert.Contains("  teams: created inpatient-respiratory, sleep-service, new-craigs-morar", report.Lines());
        Assert.Contains("  roles: granted 7", report.Lines());
    }

    [Fact]
    public void Import_FileWithOneBadTeam_ChangesNothing()
    {
        Import(Small);
        var auditBefore = _audit.Count();
        var bad = Small
            .With("\"name\": \"Ward 7\"", "\"name\": \"Ward 7 (respiratory)\"")
            .With("\"service\": \"surgery\"", "\"service\": \"surgry\"");

        var report = Import(bad);

        Assert.False(report.Applied);
        Assert.False(report.Valid);
        Assert.Equal(
            [
                "teams.json: 1 problem; nothing was changed.",
                "teams.json:21:18: team \"ward-8\": service \"surgry\" does not exist (services: medicine, surgery); did you mean \"surgery\"? [teams[1].service]",
            ],
            report.Lines());
        Assert.Equal("Ward 7", _directory.FindTeam("ward-7")!.Name);
        Assert.Equal(auditBefore, _audit.Count());
    }

    [Fact]
    public void Check_ValidFile_ChangesNothing()
    {
        var report = _importer.Check(Example, "teams.example.json");

        Assert.True(report.Valid);
        Assert.False(report.Applied);
        Assert.Empty(_directory.AllTeams());
        Assert.Equal(["teams.example.json is valid (1 board, 2 services, 1 measure set, 3 teams, 7 roles); nothing was changed (check only)."], report.Lines());
    }

    [Fact]
    public void ExportImportExport_IsIdentical_AndTheSecondImportChangesNothing()
    {
        _importer.Import(Example, "teams.example.json", Admin);
        var first = _exporter.Export();
        var auditBefore = _audit.Count();

        var report = _importer.Import(first, "export.json", Admin);
        var second = _exporter.Export();

        Assert.Equal(Encoding.UTF8.GetString(first), Encoding.UTF8.GetString(second));
        Assert.False(report.Changes!.Any);
        Assert.Equal(["export.json imported (1 board, 2 services, 1 measure set, 3 teams, 7 roles): nothing changed, the data file already matched it."], report.Lines());
        Assert.Equal(auditBefore, _audit.Count());
    }

    [Fact]
    public void Export_WritesTheReadableFormat()
    {
        Import(Small);

        var text = Encoding.UTF8.GetString(_exporter.Export());

        Assert.Equal(
            """
            {
              "boards": [
                {
                  "id": "nhs-highland",
                  "name": "NHS Highland"
                }
              ],
              "services": [
                {
                  "id": "medicine",
                  "name": "Medicine",
                  "board": "nhs-highland"
                },
                {
                  "id": "surgery",
                  "name": "Surgery",
                  "board": "nhs-highland"
                }
              ],
              "teams": [
                {
                  "id": "ward-7",
                  "name": "Ward 7",
                  "aliases": [
                    "7",
                    "respiratory"
                  ],
                  "service": "medicine",
                  "measureSet": "acute-ward",
                  "timeZone": "Europe/London",
                  "lateEntryWeeks": 4,
                  "promptDataLeadsInPersonalChat": false
                },
                {
                  "id": "ward-8",
                  "name": "Ward 8",
                  "aliases": [
                    "cardio"
                  ],
                  "service": "surgery",
                  "measureSet": "acute-ward",
                  "timeZone": "Europe/London",
                  "lateEntryWeeks": 4,
                  "promptDataLeadsInPersonalChat": false
                }
              ],
              "roles": [
                {
                  "person": "44444444-4444-4444-4444-444444444444",
                  "name": "Ali Grant",
                  "role": "admin"
                },
                {
                  "person": "11111111-1111-1111-1111-111111111111",
                  "name": "Sister Jones",
                  "role": "member",
                  "team": "ward-7"
                }
              ]
            }

            """,
            text);
    }

    [Fact]
    public void Export_OfTheShippedMeasureSetRedefined_RoundTripsEveryMeasureField()
    {
        var set = DefaultMeasureSets.AcuteWard with { Name = "Acute ward (Highland)" };
        var document = new TeamSetupDocument([], [], [set], [], []);
        _directory.ReplaceAll(document, Admin);

        var exported = _exporter.Export();
        var read = TeamSetupReader.Read(exported, "export.json");

        Assert.True(read.IsValid, string.Join("\n", read.Problems));
        Assert.Equal(set.Measures, read.Document!.MeasureSets[0].Measures);
        Assert.Contains("\"formula\": \"totalCost / patientsAdmitted\"", Encoding.UTF8.GetString(exported), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_KeepsChannelBindings_AndLeavesThemOutOfTheExport()
    {
        Import(Small);
        _directory.LinkChannel(_directory.FindTeam("ward-7")!, "19:ward7@thread.tacv2", "group-1", Admin);

        Import(Small.With("\"name\": \"Ward 7\"", "\"name\": \"Ward 7 (respiratory)\""));

        var team = _directory.FindTeam("ward-7")!;
        Assert.Equal("Ward 7 (respiratory)", team.Name);
        Assert.Equal("19:ward7@thread.tacv2", team.ChannelConversationId);
        Assert.Equal("group-1", team.AadGroupId);
        Assert.DoesNotContain("19:ward7", Encoding.UTF8.GetString(_exporter.Export()), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_AuditsWhatChanged_FieldByField()
    {
        Import(Small);
        var changed = Small
            .With("\"name\": \"Ward 7\"", "\"name\": \"Ward 7 (respiratory)\"")
            .With("\"aliases\": [\"7\", \"respiratory\"],", "\"aliases\": [\"7\", \"respiratory\", \"resp\"],\n      \"lateEntryWeeks\": 6,")
            .With(",\n    {\n      \"id\": \"ward-8\",\n      \"name\": \"Ward 8\",\n      \"aliases\": [\"cardio\"],\n      \"service\": \"surgery\",\n      \"measureSet\": \"acute-ward\"\n    }", string.Empty)
            .With("\"role\": \"member\"", "\"role\": \"dataLead\"");

        var report = Import(changed);

        Assert.True(report.Applied, string.Join("\n", report.Lines()));
        Assert.Equal(["ward-7"], report.Changes!.Teams.Updated);
        Assert.Equal(["ward-8"], report.Changes.Teams.Removed);
        Assert.Contains("  teams: changed ward-7; removed ward-8", report.Lines());
        Assert.Contains("  roles: granted 1; revoked 1", report.Lines());
        var update = _audit.ForSubject("team", "ward-7").Last();
        Assert.Equal("import-update", update.Action);
        Assert.Equal(
            [
                new AuditChange("name", "Ward 7", "Ward 7 (respiratory)"),
                new AuditChange("aliases", "7, respiratory", "7, respiratory, resp"),
                new AuditChange("lateEntryWeeks", "4", "6"),
            ],
            update.Changes);
        Assert.Equal("import-remove", _audit.ForSubject("team", "ward-8").Last().Action);
        Assert.Equal(["grant", "grant", "revoke"], _audit.ForTeam("ward-7").Where(e => e.Subject == "role").Select(e => e.Action.Replace("import-", string.Empty, StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void Import_ReplacesTheImportedMeasureSets()
    {
        _importer.Import(Example, "teams.example.json", Admin);
        var withoutSets = Encoding.UTF8.GetString(Example);
        var start = withoutSets.IndexOf("  \"measureSets\"", StringComparison.Ordinal);
        var end = withoutSets.IndexOf("  \"teams\"", StringComparison.Ordinal);
        withoutSets = (withoutSets[..start] + withoutSets[end..]).Replace("\"measureSet\": \"outpatient-clinic\"", "\"measureSet\": \"acute-ward\"", StringComparison.Ordinal);

        var report = _importer.Import(Encoding.UTF8.GetBytes(withoutSets), "teams.json", Admin);

        Assert.True(report.Applied, string.Join("\n", report.Lines()));
        Assert.Empty(new MeasureSetStore(_database).Imported());
        Assert.Equal(["outpatient-clinic"], report.Changes!.MeasureSets.Removed);
        Assert.Equal("import-remove", Assert.Single(_audit.ForSubject("measureSet", "outpatient-clinic"), e => e.Action != "import-create").Action);
    }

    [Fact]
    public void ReplaceAll_InsideTheCallersTransaction_IsUndoneWithIt()
    {
        _database.Database.BeginTrans();
        _directory.ReplaceAll(Read(Small).Document!, Admin);
        Assert.Equal(2, _directory.AllTeams().Count);
        _database.Database.Rollback();

        Assert.Empty(_directory.AllTeams());
        Assert.Equal(0, _audit.Count());
    }
}
