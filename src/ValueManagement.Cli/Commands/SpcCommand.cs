using System.CommandLine;
using System.Globalization;
using CsvHelper;
using ValueManagement.Core.Signals;

namespace ValueManagement.Cli.Commands;

/// <summary>
/// <c>vm spc</c>: signal or noise for one series. Reads a CSV file of <c>x,y</c> rows in time order, applies the run
/// chart (IHI) or XmR (Making Data Count) rules, and writes one CSV row per point; the variation and assurance
/// summary goes to standard output, or to standard error when the CSV itself goes to standard output.
/// </summary>
public static class SpcCommand
{
    /// <summary>The exit code for input the command cannot use: a missing column, a value that is not a number.</summary>
    public const int BadInput = 2;

    public static readonly string[] OutputHeader = ["x", "y", "centre", "lower", "upper", "special_cause", "rule"];

    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input")
        {
            Description = "The CSV file to read: a header naming columns x (a date or label) and y (the value), then one row per point in time order.",
            HelpName = "data.csv",
            Required = true,
        };
        var rules = new Option<string?>("--rules")
        {
            Description = "mdc: XmR chart with the Making Data Count rules; ihi: run chart with the IHI rules. Default: a run chart below 12 points, XmR from 12.",
        };
        rules.AcceptOnlyFromAmong("mdc", "ihi");
        var improvement = new Option<string>("--improvement")
        {
            Description = "Which way is better: increase, decrease or neither (the default: signals are neutral and there is no assurance).",
            DefaultValueFactory = _ => "neither",
        };
        improvement.AcceptOnlyFromAmong("increase", "decrease", "neither");
        var target = new Option<string?>("--target") { Description = "The target, for the assurance (XmR only).", HelpName = "N" };
        var noScreen = new Option<bool>("--no-screen")
        {
            Description = "Keep every moving range (the Making Data Count Excel tool) instead of dropping those of at least 3.267 × the mean moving range.",
        };
        var rebaseAt = new Option<string[]>("--rebase-at")
        {
            Description = "Start new limits (a new median) from the row whose x is this, after an adopted change. Repeat for several.",
            HelpName = "x",
        };
        var output = new Option<string?>("--out")
        {
            Description = "Write the CSV to this file, and the summary to standard output. Without it the CSV goes to standard output and the summary to standard error.",
            HelpName = "result.csv",
        };

        var command = new Command("spc", "Signal or noise: judge a series of values with the run chart (IHI) or XmR (Making Data Count) rules.");
        command.Options.Add(input);
        command.Options.Add(rules);
        command.Options.Add(improvement);
        command.Options.Add(target);
        command.Options.Add(noScreen);
        command.Options.Add(rebaseAt);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            // System.CommandLine's default exception handler would print a CliException thrown from an action as an
            // unhandled exception with its stack trace: report it here as one line with its exit code.
            try
            {
                return Run(
                    context,
                    parse.GetValue(input)!,
                    parse.GetValue(rules),
                    parse.GetValue(improvement) ?? "neither",
                    parse.GetValue(target),
                    screen: !parse.GetValue(noScreen),
                    parse.GetValue(rebaseAt) ?? [],
                    parse.GetValue(output));
            }
            catch (CliException e)
            {
                context.Error.WriteLine(e.Message);
                return e.ExitCode;
            }
        });
        return command;
    }

    private static int Run(
        CliContext context, string inputPath, string? rules, string improvement, string? target, bool screen, string[] rebaseAt, string? outputPath)
    {
        var series = ReadSeries(inputPath);
        var options = new SignalOptions
        {
            RuleSet = rules switch
            {
                "mdc" => SignalRuleSet.Xmr,
                "ihi" => SignalRuleSet.RunChart,
                _ => null,
            },
            Direction = improvement switch
            {
                "increase" => ImprovementDirection.Increase,
                "decrease" => ImprovementDirection.Decrease,
                _ => ImprovementDirection.Neither,
            },
            Target = target is null ? null : ParseTarget(target),
            ScreenMovingRanges = screen,
            RebaseAt = RebaseIndices(series, rebaseAt),
        };
        var result = SignalAnalyzer.Analyze(series, options);

        if (outputPath is null)
        {
            WriteCsv(result, context.Output);
            WriteSummary(result, options, context.Error);
        }
        else
        {
            try
            {
                using var file = new StreamWriter(outputPath, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                WriteCsv(result, file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {outputPath}: {e.Message}", BadInput);
            }
            WriteSummary(result, options, context.Output);
        }
        return 0;
    }

    /// <summary>Reads the <c>x,y</c> rows. Every problem is one line naming the file and the line, exit code 2.</summary>
    internal static List<SeriesPoint> ReadSeries(string path)
    {
        if (!File.Exists(path)) throw new CliException($"{path}: no such file", BadInput);
        var points = new List<SeriesPoint>();
        try
        {
            using var reader = CsvReader.FromFile(path, new CsvReaderOptions
            {
                Separator = ',',
                TrackLineNumbers = true,
                TrimWhitespace = true,
                MalformedData = CsvMalformedDataHandling.Throw,
            });
            var headers = reader.Headers;
            var missing = new List<string>(2);
            if (!reader.TryGetFieldIndex("x", out var xIndex)) missing.Add("x");
            if (!reader.TryGetFieldIndex("y", out var yIndex)) missing.Add("y");
            if (missing.Count > 0)
            {
                var found = headers.Count == 0 ? "the file is empty" : $"found: {string.Join(", ", headers)}";
                throw new CliException(
                    $"{path} line 1: missing column{(missing.Count > 1 ? "s" : "")} {string.Join(" and ", missing)}; the header must name x and y ({found})",
                    BadInput);
            }

            DateOnly? previousDate = null;
            long previousLine = 0;
            var allDates = true;
            while (reader.Read())
            {
                var line = reader.LineNumber;
                var x = reader.GetString(xIndex);
                var yText = reader.GetString(yIndex);
                if (x.Length == 0) throw new CliException($"{path} line {line}: x is empty", BadInput);
                if (yText.Length == 0) throw new CliException($"{path} line {line}: y is empty; give a number, or leave the row out", BadInput);
                if (!double.TryParse(yText, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) || !double.IsFinite(y))
                    throw new CliException($"{path} line {line}: y is \"{yText}\", not a number", BadInput);

                // Dates written yyyy-MM-dd are checked to be in time order (other labels are taken as they come).
                if (allDates && DateOnly.TryParseExact(x, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    if (previousDate is { } before && date <= before)
                        throw new CliException(
                            $"{path} line {line}: x {x} does not come after {before:yyyy-MM-dd} on line {previousLine}; rows must be in time order",
                            BadInput);
                    previousDate = date;
                    previousLine = line;
                }
                else
                {
                    allDates = false;
                }
                points.Add(new SeriesPoint(x, y));
            }
        }
        catch (CsvFormatException e)
        {
            var where = e.LineNumber > 0 ? $" line {e.LineNumber}" : "";
            throw new CliException($"{path}{where}: not a readable CSV file ({e.Message})", BadInput);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read it ({e.Message})", BadInput);
        }

        if (points.Count == 0) throw new CliException($"{path}: no data rows after the header", BadInput);
        return points;
    }

    private static double ParseTarget(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        throw new CliException($"--target \"{text}\" is not a number", BadInput);
    }

    private static int[] RebaseIndices(List<SeriesPoint> series, string[] labels)
    {
        var indices = new int[labels.Length];
        for (var k = 0; k < labels.Length; k++)
        {
            var label = labels[k].Trim();
            var index = series.FindIndex(point => string.Equals(point.Label, label, StringComparison.Ordinal));
            if (index < 0) throw new CliException($"--rebase-at {label}: no row has x = {label}", BadInput);
            indices[k] = index;
        }
        return indices;
    }

    /// <summary>Exactly one row per point under the header <c>x,y,centre,lower,upper,special_cause,rule</c>, nothing else.</summary>
    internal static void WriteCsv(SignalResult result, TextWriter destination)
    {
        using var writer = CsvWriter.Create(destination, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        writer.WriteRecord(OutputHeader);
        var fields = new string?[OutputHeader.Length];
        foreach (var point in result.Points)
        {
            fields[0] = point.Label;
            fields[1] = Number(point.Value);
            fields[2] = Number(point.Centre);
            fields[3] = point.Lower is { } lower ? Number(lower) : "";
            fields[4] = point.Upper is { } upper ? Number(upper) : "";
            fields[5] = SpecialCauseName(point.SpecialCause);
            fields[6] = RuleName(point.Rule);
            writer.WriteRecord(fields);
        }
    }

    internal static void WriteSummary(SignalResult result, SignalOptions options, TextWriter writer)
    {
        writer.WriteLine($"signal: {result.Description}");
        var screened = result.RuleSet == SignalRuleSet.Xmr ? options.ScreenMovingRanges ? ", moving ranges screened" : ", moving ranges not screened" : "";
        writer.WriteLine(result.RuleSet == SignalRuleSet.Xmr
            ? $"rules: mdc (XmR chart, Making Data Count){screened}"
            : "rules: ihi (run chart, IHI: shift, trend, runs)");
        writer.WriteLine($"variation: {VariationText(result.Variation)}");
        writer.WriteLine($"assurance: {AssuranceText(result, options)}");
        for (var p = 0; p < result.Periods.Count; p++)
            writer.WriteLine(PeriodText(result, p));

        int improvement = 0, concern = 0, neutral = 0;
        foreach (var point in result.Points)
        {
            if (point.SpecialCause == SpecialCause.Improvement) improvement++;
            else if (point.SpecialCause == SpecialCause.Concern) concern++;
            else if (point.SpecialCause == SpecialCause.Neutral) neutral++;
        }
        writer.WriteLine(improvement + concern + neutral == 0
            ? $"special-cause points: none of {result.Points.Count}"
            : $"special-cause points: {improvement} improvement, {concern} concern, {neutral} neutral, of {result.Points.Count}");
    }

    private static string PeriodText(SignalResult result, int p)
    {
        var period = result.Periods[p];
        var first = result.Points[period.Start].Label;
        var last = result.Points[period.Start + period.Count - 1].Label;
        var span = period.Count == 1 ? $"{first}, 1 point" : $"{first} to {last}, {period.Count} points";
        var trial = period.IsTrial ? " (trial: fewer than 12 points)" : "";
        if (result.RuleSet == SignalRuleSet.Xmr)
        {
            var limits = period.Lower is { } lower && period.Upper is { } upper
                ? $", process limits {Short(lower)} to {Short(upper)}{trial}"
                : ", no process limits (one point)";
            return $"period {p + 1} ({span}): mean {Short(period.Centre)}{limits}";
        }

        var baseline = period.BaselineCount == period.Count ? "all points" : $"the first {period.BaselineCount}";
        var runs = period.Runs is { Critical: { } critical } test
            ? $", {test.Runs} runs in {test.UsefulPoints} points off the median (signal at {Bound(critical.Lower, "or fewer")}{(critical.Lower is not null && critical.Upper is not null ? ", " : "")}{Bound(critical.Upper, "or more")})"
            : period.Runs is { } few ? $", {few.Runs} runs in {few.UsefulPoints} points off the median (too few points for the runs test)" : "";
        return $"period {p + 1} ({span}): median {Short(period.Centre)} of {baseline}{(period.IsTrial ? " (trial)" : "")}{runs}";
    }

    private static string Bound(int? value, string words) => value is { } v ? $"{v} {words}" : "";

    private static string AssuranceText(SignalResult result, SignalOptions options)
    {
        if (options.Target is not { } target) return "none (no --target)";
        var t = Short(target);
        if (options.Direction == ImprovementDirection.Neither) return $"none (target {t}, but give --improvement to judge it)";
        if (result.RuleSet != SignalRuleSet.Xmr) return $"none (target {t}: a run chart has no process limits)";
        return result.Assurance switch
        {
            Assurance.ConsistentlyPasses => $"consistently passes (target {t}: every value within the process limits meets it)",
            Assurance.ConsistentlyFails => $"consistently fails (target {t}: no value within the process limits meets it)",
            Assurance.Inconsistent => $"inconsistent (target {t} lies within the process limits: it will be met in some weeks, missed in others)",
            _ => $"none (target {t}: no process limits)",
        };
    }

    private static string VariationText(VariationIcon icon) => icon switch
    {
        VariationIcon.ImprovementHigh => "special cause, improvement (high)",
        VariationIcon.ImprovementLow => "special cause, improvement (low)",
        VariationIcon.ConcernHigh => "special cause, concern (high)",
        VariationIcon.ConcernLow => "special cause, concern (low)",
        VariationIcon.NeitherHigh => "special cause, neither improvement nor concern (high)",
        VariationIcon.NeitherLow => "special cause, neither improvement nor concern (low)",
        _ => "common cause",
    };

    public static string SpecialCauseName(SpecialCause cause) => cause switch
    {
        SpecialCause.Improvement => "improvement",
        SpecialCause.Concern => "concern",
        SpecialCause.Neutral => "neutral",
        _ => "none",
    };

    public static string RuleName(SignalRule rule) => rule switch
    {
        SignalRule.OutsideLimits => "outside_limits",
        SignalRule.Trend => "trend",
        SignalRule.TwoOfThree => "two_of_three",
        SignalRule.Shift => "shift",
        SignalRule.Runs => "runs",
        _ => "",
    };

    /// <summary>Round-trip precision for the CSV.</summary>
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Six significant digits for people.</summary>
    private static string Short(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
