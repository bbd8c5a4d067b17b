namespace ValueManagement.Cli.Tests;

public sealed class MeasuresCommandsTests : IAsyncLifetime
{
    private readonly CliWorkspace _workspace = new();

    public async Task InitializeAsync() => Assert.Equal(0, (await _workspace.RunAsync("teams", "import", "--input", Repository.TeamsExample)).ExitCode);

    public Task DisposeAsync()
    {
        _workspace.Dispose();
        return Task.CompletedTask;
    }

    private const string Costs = "team,week,measure,value\nsleep-service,2026-W10,payCost,9000\nsleep-service,2026-W10,nonPayCost,1500.5\nresp,2026-W10,payCost,21000\n";

    [Fact]
    public async Task Import_StoresTheValues_AndAgainChangesNothing()
    {
        var path = _workspace.Write("costs.csv", Costs);

        var first = await _workspace.RunAsync("measures", "import", "--input", path);
        var second = await _workspace.RunAsync("measures", "import", "--input", path);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(["costs.csv imported (3 values for 2 teams, 2026-W10): 3 values changed in 2 weeks (a new revision each), 0 already stored."], first.OutputLines);
        Assert.Equal(["costs.csv imported (3 values for 2 teams, 2026-W10): nothing changed, every value was already stored."], second.OutputLines);
    }

    [Fact]
    public async Task Import_BadRows_ArePrintedWithTheirLines()
    {
        var path = _workspace.Write("costs.csv", "team,week,measure,value\nsleep-service,2026-W10,payCost,9000\nward 9,2026-W10,payCost,1\nsleep-service,2026-W99,payCost,1\nsleep-service,2026-W10,dnaRate,5\n");

        var result = await _workspace.RunAsync("measures", "import", "--input", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "costs.csv: 3 bad rows (3 problems); nothing was changed.",
                "costs.csv:3: team \"ward 9\" does not exist (teams: inpatient-respiratory, new-craigs-morar, sleep-service)",
                "costs.csv:4: week: '2026-W99' does not exist: 2026 has 53 weeks.",
                "costs.csv:5: measure dnaRate is entered by the team on the weekly form, not imported (imported measures of sleep-service: payCost, nonPayCost); to load past figures a team kept elsewhere, import with --allow-entered",
            ],
            result.ErrorLines);
        var export = await _workspace.RunAsync("measures", "export", "--out", _workspace.File("out.csv"));
        Assert.Equal("team,week,measure,value\r\n", File.ReadAllText(_workspace.File("out.csv")));
        Assert.Equal(0, export.ExitCode);
    }

    [Fact]
    public async Task Import_AllowEntered_TakesEnteredMeasures()
    {
        var path = _workspace.Write("history.csv", "team,week,measure,value\nsleep-service,2026-W10,dnaRate,5.5\n");

        var result = await _workspace.RunAsync("measures", "import", "--input", path, "--allow-entered");

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Export_WritesTheStoredValues_ForTheTeamsAndWeeksAsked()
    {
        await _workspace.RunAsync("measures", "import", "--input", _workspace.Write("costs.csv", Costs));
        await _workspace.RunAsync("measures", "import", "--input", _workspace.Write("later.csv", "team,week,measure,value\nsleep-service,2026-W12,payCost,9100\n"));

        var result = await _workspace.RunAsync("measures", "export", "--team", "sleep", "--from", "2026-W01", "--to", "2026-W11", "--out", _workspace.File("sleep.csv"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"Wrote {_workspace.File("sleep.csv")}: 2 values.", result.OutputLines.Single());
        Assert.Equal("team,week,measure,value\r\nsleep-service,2026-W10,payCost,9000\r\nsleep-service,2026-W10,nonPayCost,1500.5\r\n", File.ReadAllText(_workspace.File("sleep.csv")));
    }

    [Theory]
    [InlineData(new[] { "--team", "ward 99" }, "There is no team \"ward 99\": give its id, name or an alias (inpatient-respiratory, new-craigs-morar, sleep-service).")]
    [InlineData(new[] { "--from", "2026-W5" }, "--from: '2026-W5' is not a week: write it like 2026-W48 (year, W, two-digit week number).")]
    [InlineData(new[] { "--from", "2026-W10", "--to", "2026-W01" }, "--from 2026-W10 is after --to 2026-W01.")]
    public async Task Export_WithBadArguments_SaysWhatIsWrong(string[] arguments, string expected)
    {
        var result = await _workspace.RunAsync(["measures", "export", .. arguments, "--out", _workspace.File("x.csv")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(expected, result.Error.Trim());
        Assert.False(File.Exists(_workspace.File("x.csv")));
    }
}
