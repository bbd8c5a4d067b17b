using System.Text;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.TeamSetup;
using static ValueManagement.Features.Tests.TeamSetup.TeamSetupFiles;

namespace ValueManagement.Features.Tests.TeamSetup;

public sealed class TeamSetupReaderTests
{
    [Fact]
    public void Read_SmallFile_GivesTheOrganisation_WithDefaults()
    {
        var result = Read(Small);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        var document = result.Document!;
        Assert.Equal("NHS Highland", Assert.Single(document.Boards).Name);
        Assert.Equal(["medicine", "surgery"], document.Services.Select(s => s.Id));
        var ward7 = document.Teams[0];
        Assert.Equal(["7", "respiratory"], ward7.Aliases);
        Assert.Equal("Europe/London", ward7.TimeZoneId);
        Assert.Equal(4, ward7.LateEntryWeeks);
        Assert.False(ward7.PromptDataLeadsInPersonalChat);
        Assert.Empty(document.MeasureSets);
        Assert.Equal(new RoleAssignment("44444444-4444-4444-4444-444444444444", "Ali Grant", Role.Admin, RoleScopeKind.Everywhere, null), document.Roles[1]);
    }

    [Fact]
    public void Read_TheDocumentedExample_IsValid()
    {
        var result = TeamSetupReader.Read(Example, "teams.example.json");

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(3, result.Document!.Teams.Count);
        Assert.Equal("outpatient-clinic", Assert.Single(result.Document.MeasureSets).Id);
        Assert.Equal(6, result.Document.Teams.Single(t => t.Id == "new-craigs-morar").LateEntryWeeks);
        Assert.True(result.Document.Teams.Single(t => t.Id == "inpatient-respiratory").PromptDataLeadsInPersonalChat);
    }

    [Fact]
    public void Read_UnknownService_NamesLineColumnTeamKnownServicesAndTheLikelyOne()
    {
        var problems = Problems(Small.With("\"service\": \"medicine\"", "\"service\": \"medcine\""));

        Assert.Equal(
            ["teams.json:14:18: team \"ward-7\": service \"medcine\" does not exist (services: medicine, surgery); did you mean \"medicine\"? [teams[0].service]"],
            problems);
    }

    [Fact]
    public void Read_SyntaxError_GivesItsLine()
    {
        var json = Small.With("\"name\": \"Ward 8\",", "\"name\": \"Ward 8\"");

        var problem = Assert.Single(Read(json).Problems);

        Assert.Equal(20, problem.Line);
        Assert.Equal(7, problem.Column);
        Assert.StartsWith("teams.json:20:7: the JSON is not valid: ", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SyntaxErrorInACrLfFileWithAByteOrderMark_GivesTheSameLine()
    {
        var json = Small.With("\"name\": \"Ward 8\",", "\"name\": \"Ward 8\"").Replace("\n", "\r\n", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(json)).ToArray();

        var problem = Assert.Single(TeamSetupReader.Read(bytes, "teams.json").Problems);

        Assert.Equal((20, 7), (problem.Line, problem.Column));
    }

    [Fact]
    public void Read_ByteOrderMarkAndCrLf_AreFine()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Small.Replace("\n", "\r\n", StringComparison.Ordinal))).ToArray();

        Assert.True(TeamSetupReader.Read(bytes, "teams.json").IsValid);
    }

    [Fact]
    public void Read_CommentsAndTrailingCommas_AreAllowed()
    {
        var json = Small
            .With("\"boards\": [", "// Boards first.\n  \"boards\": [ /* one board */")
            .With("\"aliases\": [\"cardio\"],", "\"aliases\": [\"cardio\",],");

        Assert.True(Read(json).IsValid, string.Join("\n", Read(json).Problems));
    }

    [Theory]
    [InlineData("", "teams.json:1:1: the file is empty")]
    [InlineData("[]", "teams.json:1:1: the file must hold one JSON object, { \"boards\": [...], \"services\": [...], \"teams\": [...], \"roles\": [...] }, not a list")]
    [InlineData("{}\n{}", "teams.json:2:1: there is more after the end of the top-level object")]
    public void Read_NotAnObject_SaysWhatIsExpected(string json, string expected)
    {
        Assert.Equal([expected], Problems(json));
    }

    [Fact]
    public void Read_Utf16_AsksForUtf8()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Small)).ToArray();

        Assert.Equal("teams.json:1:1: the file is saved as UTF-16: save it as UTF-8", Assert.Single(TeamSetupReader.Read(bytes, "teams.json").Problems).ToString());
    }

    [Fact]
    public void Read_MissingSections_AreNamed()
    {
        Assert.Equal(
            ["teams.json:1:1: the file: \"boards\" is missing", "teams.json:1:1: the file: \"services\" is missing", "teams.json:1:1: the file: \"roles\" is missing"],
            Problems("{ \"teams\": [] }"));
    }

    [Fact]
    public void Read_UnknownProperties_SuggestTheIntendedOne()
    {
        var json = Small.With("\"measureSet\": \"acute-ward\"\n    },\n    {", "\"measureSet\": \"acute-ward\",\n      \"timezone\": \"Europe/London\"\n    },\n    {");

        var problem = Assert.Single(Problems(json));

        Assert.Equal(
            "teams.json:16:7: team \"ward-7\": unknown property \"timezone\": did you mean \"timeZone\"? (known: id, name, aliases, service, measureSet, timeZone, lateEntryWeeks, promptDataLeadsInPersonalChat) [teams[0].timezone]",
            problem);
    }

    [Fact]
    public void Read_UnknownTopLevelSection_SuggestsTheIntendedOne()
    {
        var json = Small.With("\"roles\": [", "\"measuresets\": [],\n  \"roles\": [");

        Assert.Contains(
            "teams.json:25:3: the file: unknown property \"measuresets\": did you mean \"measureSets\"? (known: boards, services, measureSets, teams, roles) [measuresets]",
            Problems(json));
    }

    [Fact]
    public void Read_PropertyGivenTwice_IsReportedAtTheSecond()
    {
        var json = Small.With("\"name\": \"Ward 7\",", "\"name\": \"Ward 7\",\n      \"name\": \"Ward Seven\",");

        Assert.Equal(["teams.json:13:7: team \"ward-7\": \"name\" is given twice (first on line 12) [teams[0].name]"], Problems(json));
    }

    [Fact]
    public void Read_BadIds_ExplainTheShape()
    {
        var json = Small.With("\"id\": \"ward-7\"", "\"id\": \"Ward 7\"").With("{ \"id\": \"surgery\"", "{ \"id\": \"surgery--x\"");

        var problems = Problems(json);

        Assert.Contains("teams.json:7:13: service \"surgery--x\": the id \"surgery--x\" must be lower-case letters, digits and single hyphens, at most 40 characters, such as medicine [services[1].id]", problems);
        Assert.Contains("teams.json:11:13: team \"Ward 7\": the id \"Ward 7\" must be lower-case letters, digits and single hyphens, at most 40 characters, such as ward-7 [teams[0].id]", problems);
    }

    [Fact]
    public void Read_DuplicateIds_NameTheFirst()
    {
        var json = Small
            .With("\"id\": \"ward-8\"", "\"id\": \"ward-7\"")
            .With("{ \"id\": \"surgery\"", "{ \"id\": \"medicine\"");

        var problems = Problems(json);

        Assert.Contains("teams.json:7:5: service \"medicine\" is listed twice (first on line 6) [services[1]]", problems);
        Assert.Contains("teams.json:17:5: team \"ward-7\" is listed twice (first on line 10) [teams[1]]", problems);
    }

    [Fact]
    public void Read_ServiceOnAnUnknownBoard_ListsTheBoards()
    {
        var json = Small.With("\"name\": \"Surgery\", \"board\": \"nhs-highland\"", "\"name\": \"Surgery\", \"board\": \"nhs-grampian\"");

        Assert.Contains("teams.json:7:52: service \"surgery\": board \"nhs-grampian\" does not exist (boards: nhs-highland) [services[1].board]", Problems(json));
    }

    [Fact]
    public void Read_UnknownMeasureSet_ListsTheAvailableOnes()
    {
        var json = Small.With("\"aliases\": [\"cardio\"],\n      \"service\": \"surgery\",\n      \"measureSet\": \"acute-ward\"", "\"aliases\": [\"cardio\"],\n      \"service\": \"surgery\",\n      \"measureSet\": \"acute-wards\"");

        Assert.Equal(
            ["teams.json:22:21: team \"ward-8\": measure set \"acute-wards\" does not exist (measure sets: acute-ward); did you mean \"acute-ward\"? [teams[1].measureSet]"],
            Problems(json));
    }

    [Fact]
    public void Read_InvalidTimeZone_AsksForAnIanaId()
    {
        var json = Small.With("\"measureSet\": \"acute-ward\"\n    },\n    {", "\"measureSet\": \"acute-ward\",\n      \"timeZone\": \"Europe/Londn\"\n    },\n    {");

        Assert.Equal(
            ["teams.json:16:19: team \"ward-7\": time zone \"Europe/Londn\" is not known: use an IANA time zone id such as Europe/London [teams[0].timeZone]"],
            Problems(json));
    }

    [Theory]
    [InlineData("\"lateEntryWeeks\": 53", "teams.json:16:25: team \"ward-7\": \"lateEntryWeeks\" must be a whole number from 0 to 52, not 53 [teams[0].lateEntryWeeks]")]
    [InlineData("\"lateEntryWeeks\": 2.5", "teams.json:16:25: team \"ward-7\": \"lateEntryWeeks\" must be a whole number from 0 to 52, not 2.5 [teams[0].lateEntryWeeks]")]
    [InlineData("\"lateEntryWeeks\": \"4\"", "teams.json:16:25: team \"ward-7\": \"lateEntryWeeks\" must be a whole number from 0 to 52, not a string [teams[0].lateEntryWeeks]")]
    [InlineData("\"promptDataLeadsInPersonalChat\": \"yes\"", "teams.json:16:40: team \"ward-7\": \"promptDataLeadsInPersonalChat\" must be true or false (without quotes), not \"yes\" [teams[0].promptDataLeadsInPersonalChat]")]
    [InlineData("\"timeZone\": null", null)]
    public void Read_WrongTypesOfTeamSettings_SayWhatIsExpected(string property, string? expected)
    {
        var json = Small.With("\"measureSet\": \"acute-ward\"\n    },\n    {", $"\"measureSet\": \"acute-ward\",\n      {property}\n    }},\n    {{");

        Assert.Equal(expected is null ? [] : [expected], Problems(json));
    }

    [Theory]
    [InlineData("\"name\": \"Ward 7\"", "\"name\": 7", "teams.json:12:15: team \"ward-7\": \"name\" must be text in quotes, not a number [teams[0].name]")]
    [InlineData("\"name\": \"Ward 7\"", "\"name\": \"  \"", "teams.json:12:15: team \"ward-7\": \"name\" is empty [teams[0].name]")]
    [InlineData("\"aliases\": [\"7\", \"respiratory\"]", "\"aliases\": \"respiratory\"", "teams.json:13:18: team \"ward-7\": \"aliases\" must be a list, [ ... ], not a string [teams[0].aliases]")]
    [InlineData("\"service\": \"medicine\"", "\"service\": null", "teams.json:14:18: team \"ward-7\": \"service\" is missing [teams[0].service]")]
    public void Read_WrongTypesOfTeamFields_SayWhatIsExpected(string old, string @new, string expected)
    {
        Assert.Equal([expected], Problems(Small.With(old, @new)));
    }

    [Fact]
    public void Read_AliasOfAnotherTeam_IsRefused_IgnoringCaseAndSpaces()
    {
        var json = Small.With("\"aliases\": [\"cardio\"]", "\"aliases\": [\"cardio\", \"Respiratory \"]");

        Assert.Equal(
            ["teams.json:20:29: team \"ward-8\": alias \"Respiratory\" is also the name or an alias of team \"ward-7\" (\"respiratory\", line 13): a name or alias must identify one team [teams[1].aliases[1]]"],
            Problems(json));
    }

    [Fact]
    public void Read_NameOfAnotherTeam_IsRefused()
    {
        var json = Small.With("\"name\": \"Ward 8\"", "\"name\": \"WARD-7\"");

        Assert.Equal(
            ["teams.json:19:15: team \"ward-8\": name \"WARD-7\" is also the name or an alias of team \"ward-7\" (\"Ward 7\", line 12): a name or alias must identify one team [teams[1].name]"],
            Problems(json));
    }

    [Fact]
    public void Read_AliasThatIsAnotherTeamsId_IsRefused()
    {
        var json = Small.With("\"aliases\": [\"cardio\"]", "\"aliases\": [\"cardio\", \"ward-7\"]");

        Assert.Contains(
            "teams.json:20:29: team \"ward-8\": alias \"ward-7\" is the id of team \"ward-7\": an alias must identify one team [teams[1].aliases[1]]",
            Problems(json));
    }

    [Fact]
    public void Read_AliasWithoutLettersOrDigits_IsRefused()
    {
        var json = Small.With("\"aliases\": [\"cardio\"]", "\"aliases\": [\"cardio\", \"--\", \"\"]");

        Assert.Equal(
            [
                "teams.json:20:29: team \"ward-8\": alias \"--\" has no letters or digits, so nobody could type it [teams[1].aliases[1]]",
                "teams.json:20:35: team \"ward-8\": each of \"aliases\" must be non-empty text in quotes, not empty text [teams[1].aliases[2]]",
            ],
            Problems(json));
    }

    [Theory]
    [InlineData("\"person\": \"Sister Jones\"", "teams.json:26:17: role 1 (Sister Jones): \"person\" must be the person's Microsoft Entra object id, a GUID such as 2f1c6a7e-0b4d-4c55-9a1e-3d5b7c9e1f20 (Entra admin centre → Users → Object ID), not \"Sister Jones\" [roles[0].person]")]
    [InlineData("\"person\": \"{11111111-1111-1111-1111-111111111111}\"", "teams.json:26:17: role 1 (Sister Jones): \"person\" must be the person's Microsoft Entra object id, a GUID such as 2f1c6a7e-0b4d-4c55-9a1e-3d5b7c9e1f20 (Entra admin centre → Users → Object ID), not \"{11111111-1111-1111-1111-111111111111}\" [roles[0].person]")]
    [InlineData("\"role\": \"nurse\"", "teams.json:26:89: role 1 (Sister Jones): \"role\" must be one of member, dataLead, coach, manager, admin, not \"nurse\" [roles[0].role]")]
    [InlineData("\"role\": \"data lead\"", "teams.json:26:89: role 1 (Sister Jones): \"role\" must be one of member, dataLead, coach, manager, admin, not \"data lead\"; did you mean \"dataLead\"? [roles[0].role]")]
    [InlineData("\"team\": \"ward-9\"", "teams.json:26:107: role 1 (Sister Jones): team \"ward-9\" does not exist (teams: ward-7, ward-8); did you mean \"ward-7\"? [roles[0].team]")]
    [InlineData("\"team\": \"ward-7\", \"service\": \"medicine\"", "teams.json:26:128: role 1 (Sister Jones): give one scope, \"team\", not both \"team\" and \"service\" [roles[0].service]")]
    [InlineData("\"service\": \"medicine\"", "teams.json:26:110: role 1 (Sister Jones): a member is given \"team\", not \"service\" [roles[0].service]")]
    public void Read_BadRoles_AreExplained(string replacement, string expected)
    {
        var original = replacement.Split(':')[0] switch
        {
            "\"person\"" => "\"person\": \"11111111-1111-1111-1111-111111111111\"",
            "\"role\"" => "\"role\": \"member\"",
            _ => "\"team\": \"ward-7\" }",
        };
        var json = Small.With(original, original.EndsWith('}') ? replacement + " }" : replacement);

        Assert.Equal([expected], Problems(json));
    }

    [Fact]
    public void Read_ScopesOfEachRole_AreChecked()
    {
        var json = Small.With(
            "{ \"person\": \"44444444-4444-4444-4444-444444444444\", \"name\": \"Ali Grant\", \"role\": \"admin\" }",
            """
            { "person": "44444444-4444-4444-4444-444444444444", "name": "Ali Grant", "role": "admin", "board": "nhs-highland" },
                { "person": "22222222-2222-2222-2222-222222222222", "name": "Ravi Patel", "role": "coach" },
                { "person": "22222222-2222-2222-2222-222222222222", "name": "Ravi Patel", "role": "coach", "service": "medicine" },
                { "person": "33333333-3333-3333-3333-333333333333", "name": "Dana Moss", "role": "manager", "team": "ward-7" },
                { "person": "33333333-3333-3333-3333-333333333333", "name": "Dana Moss", "role": "manager", "board": "nhs-highland" },
                { "person": "33333333-3333-3333-3333-333333333333", "name": "Dana Moss", "role": "manager", "board": "nhs-highland" }
            """);

        Assert.Equal(
            [
                "teams.json:27:104: role 2 (Ali Grant): an admin configures everything and has no scope: remove \"board\" [roles[1].board]",
                "teams.json:28:5: role 3 (Ravi Patel): a coach needs \"team\" [roles[2]]",
                "teams.json:29:107: role 4 (Ravi Patel): a coach is given \"team\", not \"service\" [roles[3].service]",
                "teams.json:30:105: role 5 (Dana Moss): a manager is given \"service\" or \"board\", not \"team\" [roles[4].team]",
                "teams.json:32:5: role 7 (Dana Moss): the same role is listed twice (first on line 31) [roles[6]]",
            ],
            Problems(json));
    }

    [Fact]
    public void Read_People_AreStoredAsLowerCaseGuids()
    {
        var json = Small.With("\"44444444-4444-4444-4444-444444444444\"", "\"6F0C1D2E-3B4A-4C5D-8E9F-0A1B2C3D4E5F\"");

        Assert.Equal("6f0c1d2e-3b4a-4c5d-8e9f-0a1b2c3d4e5f", Read(json).Document!.Roles[1].AadObjectId);
    }

    [Fact]
    public void Read_MeasureSetProblems_AreReportedAtTheMeasure()
    {
        var json = Small.With("\"teams\": [", """
            "measureSets": [
                {
                  "id": "clinic",
                  "name": "Clinic",
                  "measures": [
                    { "key": "patientsSeen", "name": "Patients seen", "unit": "count", "category": "activity", "direction": "higherIsBetter", "integer": true, "required": true },
                    { "key": "payCost", "name": "Pay cost", "unit": "pounds", "category": "cost", "direction": "lowerIsBetter", "source": "imported", "required": true },
                    { "key": "costPerPatient", "name": "Cost per patient", "unit": "pounds", "category": "cost", "direction": "lowerIsBetter", "source": "derived", "formula": "payCost / patients" }
                  ]
                }
              ],
              "teams": [
            """).With("\"aliases\": [\"cardio\"],\n      \"service\": \"surgery\",\n      \"measureSet\": \"acute-ward\"", "\"aliases\": [\"cardio\"],\n      \"service\": \"surgery\",\n      \"measureSet\": \"clinic\"");

        Assert.Equal(
            [
                "teams.json:15:9: measure set \"clinic\": 'Pay cost' (payCost): only measures the team enters can be required; this one is imported. [measureSets[0].measures[1]]",
                "teams.json:16:9: measure set \"clinic\": 'Cost per patient' (costPerPatient): the formula 'payCost / patients' has a problem: unknown measure 'patients' at position 11. [measureSets[0].measures[2]]",
            ],
            Problems(json));
        Assert.True(Read(json.With("\"source\": \"imported\", \"required\": true", "\"source\": \"imported\"").With("payCost / patients", "payCost / patientsSeen")).IsValid);
    }

    [Fact]
    public void Read_MeasureFields_AreChecked()
    {
        var json = Small.With("\"teams\": [", """
            "measureSets": [
                {
                  "id": "clinic",
                  "name": "Clinic",
                  "measures": [
                    { "key": "patientsSeen", "name": "Patients seen", "unit": "number", "category": "activity", "direction": "up", "decimals": 9 },
                    { "name": "Pay cost", "unit": "pounds", "category": "cost", "direction": "lowerIsBetter", "colour": "red" }
                  ]
                }
              ],
              "teams": [
            """);

        Assert.Equal(
            [
                "teams.json:14:67: measure set \"clinic\", measure \"patientsSeen\": \"unit\" must be one of count, percent, pounds, hours, days, wte, rate, not \"number\" [measureSets[0].measures[0].unit]",
                "teams.json:14:114: measure set \"clinic\", measure \"patientsSeen\": \"direction\" must be one of lowerIsBetter, higherIsBetter, neither, not \"up\" [measureSets[0].measures[0].direction]",
                "teams.json:14:132: measure set \"clinic\", measure \"patientsSeen\": \"decimals\" must be a whole number from 0 to 6, not 9 [measureSets[0].measures[0].decimals]",
                "teams.json:15:9: measure set \"clinic\", measure 2: \"key\" is missing [measureSets[0].measures[1]]",
                "teams.json:15:99: measure set \"clinic\", measure 2: unknown property \"colour\" (known: key, name, unit, category, direction, source, formula, target, amberTolerance, amberTolerancePercent, decimals, min, max, integer, required, sampleEveryWeeks) [measureSets[0].measures[1].colour]",
            ],
            Problems(json));
    }

    [Fact]
    public void Read_TheExampleInTheDocs_GivesThoseMessages()
    {
        var json = Small
            .With("\"service\": \"medicine\"", "\"service\": \"medcine\"")
            .With("\"role\": \"admin\"", "\"role\": \"administrator\"");
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "team-setup.md"));

        var report = new TeamSetupImportReport("teams.json", false, false, Read(json).Problems, null, null);

        Assert.Contains(string.Join("\n", report.Lines()), docs.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManyProblems_AreAllReportedInLineOrder()
    {
        var json = Small
            .With("\"service\": \"medicine\"", "\"service\": \"medcine\"")
            .With("\"name\": \"Ward 8\"", "\"name\": \"\"")
            .With("\"role\": \"admin\"", "\"role\": \"administrator\"")
            .With("\"name\": \"NHS Highland\"", "\"nme\": \"NHS Highland\"");

        var problems = Read(json).Problems;

        Assert.Equal([3, 3, 14, 19, 27], problems.Select(p => p.Line));
        Assert.Null(Read(json).Document);
    }

    [Fact]
    public void Read_MeasureSetOfTheSameIdAsTheShippedOne_ReplacesIt()
    {
        var acuteWard = DefaultMeasureSets.AcuteWard;
        var json = Small.With("\"teams\": [", $$"""
            "measureSets": [ { "id": "acute-ward", "name": "Acute ward (Highland targets)", "measures": [ { "key": "falls", "name": "Falls", "unit": "count", "category": "performance", "direction": "lowerIsBetter", "target": 2 } ] } ],
              "teams": [
            """);

        var result = Read(json);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Equal(acuteWard.Id, Assert.Single(result.Document!.MeasureSets).Id);
    }
}
