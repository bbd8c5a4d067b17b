using System.Globalization;
using System.Text;

namespace ValueManagement.Cli.Tests;

/// <summary><c>vm spc</c>, run in-process on temporary files.</summary>
public sealed class SpcCommandTests : IDisposable
{
    private const string Header = "x,y,centre,lower,upper,special_cause,rule";

    /// <summary>NHSRplotthedots' test data: R's set.seed(123); rnorm(20), dated from 2020-01-02.</summary>
    private static readonly double[] Rnorm20 =
    [
        -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
        -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
        0.49785048, -1.96661716, 0.70135590, -0.47279141,
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("vm-spc-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private string Data(IEnumerable<double> values, string name = "data.csv")
    {
        var text = new StringBuilder("x,y\n");
        var day = new DateOnly(2020, 1, 2);
        foreach (var value in values)
        {
            text.Append(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},{value.ToString(CultureInfo.InvariantCulture)}\n");
            day = day.AddDays(1);
        }
        return File(name, text.ToString());
    }

    private static async Task<(int Exit, string Out, string Error)> Vm(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await VmCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Column(string csv, int column) => Lines(csv).Skip(1).Select(line => line.Split(',')[column]).ToArray();

    [Fact]
    public async Task Writes_one_row_per_point_to_the_out_file_and_the_summary_to_standard_output()
    {
        var input = Data(Rnorm20);
        var output = Path.Combine(_directory, "result.csv");

        var (exit, stdout, stderr) = await Vm("spc", "--input", input, "--out", output);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        var lines = Lines(System.IO.File.ReadAllText(output));
        Assert.Equal(21, lines.Length);
        Assert.Equal(Header, lines[0]);
        // NHSRplotthedots' snapshot: mean 0.1416238, limits -3.01138 and 3.294627, all common cause.
        var first = lines[1].Split(',');
        Assert.Equal("2020-01-02", first[0]);
        Assert.Equal(-0.56047565, double.Parse(first[1], CultureInfo.InvariantCulture));
        Assert.Equal(0.1416238, double.Parse(first[2], CultureInfo.InvariantCulture), 7);
        Assert.Equal(-3.01138, double.Parse(first[3], CultureInfo.InvariantCulture), 5);
        Assert.Equal(3.294627, double.Parse(first[4], CultureInfo.InvariantCulture), 6);
        Assert.All(lines.Skip(1), line => Assert.EndsWith(",none,", line));

        Assert.Contains("signal: common cause variation: no signal", stdout);
        Assert.Contains("rules: mdc (XmR chart, Making Data Count), moving ranges screened", stdout);
        Assert.Contains("variation: common cause", stdout);
        Assert.Contains("assurance: none (no --target)", stdout);
        Assert.Contains("period 1 (2020-01-02 to 2020-01-21, 20 points): mean 0.141624, process limits -3.01138 to 3.29463", stdout);
    }

    [Fact]
    public async Task Without_out_the_csv_alone_goes_to_standard_output_and_the_summary_to_standard_error()
    {
        var (exit, stdout, stderr) = await Vm("spc", "--input", Data(Rnorm20));

        Assert.Equal(0, exit);
        var lines = Lines(stdout);
        Assert.Equal(21, lines.Length);
        Assert.Equal(Header, lines[0]);
        Assert.All(lines.Skip(1), line => Assert.Equal(7, line.Split(',').Length));
        Assert.Contains("variation: common cause", stderr);
        Assert.DoesNotContain("variation", stdout);
    }

    [Theory]
    [InlineData("increase", "improvement", "variation: special cause, improvement (high)")]
    [InlineData("decrease", "concern", "variation: special cause, concern (high)")]
    [InlineData("neither", "neutral", "variation: special cause, neither improvement nor concern (high)")]
    public async Task The_improvement_direction_decides_improvement_or_concern(string direction, string cause, string variation)
    {
        var input = Data([5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 60]);
        var (exit, stdout, stderr) = await Vm("spc", "--input", input, "--improvement", direction);

        Assert.Equal(0, exit);
        var last = Lines(stdout)[^1].Split(',');
        Assert.Equal((cause, "outside_limits"), (last[5], last[6]));
        Assert.All(Lines(stdout).Skip(1).SkipLast(1), line => Assert.EndsWith(",none,", line));
        Assert.Contains(variation, stderr);
    }

    [Fact]
    public async Task Ihi_rules_give_a_run_chart_without_limits()
    {
        var (exit, stdout, stderr) = await Vm("spc", "--input", Data([3, 1, 2, 2, 3, 4, 5]), "--rules", "ihi", "--improvement", "increase");

        Assert.Equal(0, exit);
        var lines = Lines(stdout);
        Assert.Equal("2020-01-02,3,3,,,none,", lines[1]);
        Assert.Equal("2020-01-03,1,3,,,improvement,trend", lines[2]);
        Assert.Equal("2020-01-08,5,3,,,improvement,trend", lines[7]);
        Assert.Contains("rules: ihi (run chart, IHI: shift, trend, runs)", stderr);
        Assert.Contains("signal: ⊕ improving: rising over the last 6 weeks", stderr);
        Assert.Contains("median 3 of all points (trial)", stderr);
    }

    [Fact]
    public async Task Without_rules_fewer_than_12_points_get_a_run_chart_and_12_an_xmr_chart()
    {
        var eleven = await Vm("spc", "--input", Data(Rnorm20.Take(11), "eleven.csv"));
        var twelve = await Vm("spc", "--input", Data(Rnorm20.Take(12), "twelve.csv"));

        Assert.Contains("rules: ihi", eleven.Error);
        Assert.All(Column(eleven.Out, 3), lower => Assert.Equal("", lower));
        Assert.Contains("rules: mdc", twelve.Error);
        Assert.All(Column(twelve.Out, 3), lower => Assert.NotEqual("", lower));
    }

    [Fact]
    public async Task Mdc_rules_on_few_points_mark_the_limits_trial()
    {
        var (_, _, stderr) = await Vm("spc", "--input", Data(Rnorm20.Take(8)), "--rules", "mdc");
        Assert.Contains("(trial: fewer than 12 points)", stderr);
    }

    [Fact]
    public async Task No_screen_widens_the_limits_as_in_the_plotthedots_snapshot()
    {
        // NHSRplotthedots' snapshot with y[15] = 10: screened limits -2.383666 … 3.722497, not screened -4.596625 … 5.935457.
        var input = Data(Rnorm20.Select((y, i) => i == 14 ? 10 : y));
        var screened = await Vm("spc", "--input", input);
        var unscreened = await Vm("spc", "--input", input, "--no-screen");

        Assert.Equal(-2.383666, double.Parse(Column(screened.Out, 3)[0], CultureInfo.InvariantCulture), 6);
        Assert.Equal(3.722497, double.Parse(Column(screened.Out, 4)[0], CultureInfo.InvariantCulture), 6);
        Assert.Equal(-4.596625, double.Parse(Column(unscreened.Out, 3)[0], CultureInfo.InvariantCulture), 6);
        Assert.Equal(5.935457, double.Parse(Column(unscreened.Out, 4)[0], CultureInfo.InvariantCulture), 6);
        Assert.Contains("moving ranges not screened", unscreened.Error);
    }

    [Fact]
    public async Task Rebase_at_a_label_gives_each_period_its_own_limits()
    {
        var (exit, stdout, stderr) = await Vm("spc", "--input", Data(Rnorm20), "--rules", "mdc", "--rebase-at", "2020-01-12");

        Assert.Equal(0, exit);
        var centres = Column(stdout, 2).Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        Assert.All(centres.Take(10), c => Assert.Equal(0.0746, c, 4));
        Assert.All(centres.Skip(10), c => Assert.Equal(0.209, c, 3));
        Assert.Contains("period 1 (2020-01-02 to 2020-01-11, 10 points)", stderr);
        Assert.Contains("period 2 (2020-01-12 to 2020-01-21, 10 points)", stderr);
    }

    [Theory]
    [InlineData("90", "increase", "assurance: consistently passes (target 90")]
    [InlineData("110", "increase", "assurance: consistently fails (target 110")]
    [InlineData("100", "decrease", "assurance: inconsistent (target 100 lies within the process limits")]
    [InlineData("90", "neither", "assurance: none (target 90, but give --improvement to judge it)")]
    public async Task Target_gives_the_assurance(string target, string direction, string expected)
    {
        var input = Data([99, 101, 99, 101, 99, 101, 99, 101, 99, 101, 99, 101]);
        var (exit, _, stderr) = await Vm("spc", "--input", input, "--target", target, "--improvement", direction);
        Assert.Equal(0, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task Labels_are_read_and_written_as_csv_fields_and_other_columns_are_ignored()
    {
        var input = File("labels.csv", "Y,note,X\r\n1,\"a, b\",\"Ward 7, week 1\"\r\n2,,\"Ward 7, week 2\"\r\n3,x,plain\r\n");
        var (exit, stdout, _) = await Vm("spc", "--input", input);

        Assert.Equal(0, exit);
        var lines = Lines(stdout);
        Assert.Equal("\"Ward 7, week 1\",1,2,,,none,", lines[1]);
        Assert.Equal("plain,3,2,,,none,", lines[3]);
    }

    [Fact]
    public async Task A_missing_column_is_one_line_and_exit_code_2()
    {
        var (exit, stdout, stderr) = await Vm("spc", "--input", File("nocol.csv", "x,value\n2024-01-01,3\n"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains("nocol.csv line 1: missing column y", line);
        Assert.Contains("found: x, value", line);
    }

    [Theory]
    [InlineData("x,y\n2024-01-01,3\n2024-01-08,4\n2024-01-15,abc\n", "line 4: y is \"abc\", not a number")]
    [InlineData("x,y\r\n2024-01-01,3\r\n2024-01-08,1.2.3\r\n", "line 3: y is \"1.2.3\", not a number")]
    [InlineData("x,y\n2024-01-01,3\n2024-01-08,NaN\n", "line 3: y is \"NaN\", not a number")]
    [InlineData("x,y\n2024-01-01,3\n2024-01-08,\n", "line 3: y is empty")]
    [InlineData("x,y\n2024-01-01,3\n,4\n", "line 3: x is empty")]
    [InlineData("x,y\n2024-01-08,3\n2024-01-01,4\n", "line 3: x 2024-01-01 does not come after 2024-01-08 on line 2; rows must be in time order")]
    [InlineData("x,y\n2024-01-01,3\n\"2024-01-08,4\n", "line 3: not a readable CSV file (")]
    [InlineData("x,y\n", "no data rows after the header")]
    [InlineData("", "line 1: missing columns x and y; the header must name x and y (the file is empty)")]
    public async Task Bad_input_names_the_line_in_one_line_with_exit_code_2(string content, string expected)
    {
        var (exit, stdout, stderr) = await Vm("spc", "--input", File("bad.csv", content));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(Lines(stderr));
        Assert.Contains(expected, line);
        Assert.StartsWith(Path.Combine(_directory, "bad.csv"), line);
    }

    [Theory]
    [InlineData("--rebase-at", "2020-02-30", "--rebase-at 2020-02-30: no row has x = 2020-02-30")]
    [InlineData("--target", "ten", "--target \"ten\" is not a number")]
    public async Task Bad_option_values_are_one_line_and_exit_code_2(string option, string value, string expected)
    {
        var (exit, stdout, stderr) = await Vm("spc", "--input", Data(Rnorm20), option, value);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal(expected, Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task A_missing_input_file_is_exit_code_2_without_a_stack_trace()
    {
        var missing = Path.Combine(_directory, "none.csv");
        var (exit, _, stderr) = await Vm("spc", "--input", missing);

        Assert.Equal(2, exit);
        Assert.Equal($"{missing}: no such file", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task An_output_file_that_cannot_be_written_is_exit_code_2()
    {
        var output = Path.Combine(_directory, "no such folder", "result.csv");
        var (exit, _, stderr) = await Vm("spc", "--input", Data(Rnorm20), "--out", output);

        Assert.Equal(2, exit);
        Assert.StartsWith($"cannot write {output}", Assert.Single(Lines(stderr)));
    }

    [Fact]
    public async Task Unknown_rule_sets_are_refused_by_the_parser()
    {
        var (exit, stdout, stderr) = await Vm("spc", "--input", Data(Rnorm20), "--rules", "western-electric");
        Assert.NotEqual(0, exit);
        Assert.DoesNotContain(Header, stdout);
        Assert.Contains("western-electric", stderr);
    }

    [Fact]
    public async Task Spc_is_listed_in_the_help()
    {
        var (exit, stdout, _) = await Vm("--help");
        Assert.Equal(0, exit);
        Assert.Contains("spc", stdout);
    }
}
