using System.Globalization;
using CsvHelper;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Core.Text;

namespace ValueManagement.Features.Admin;

/// <param name="CheckOnly">Check the file and say what would change, without changing anything.</param>
/// <param name="AllowEntered">
/// Also accept measures the team enters on the weekly form (to load past figures from the box-score
/// spreadsheet a team used before the bot). Off by default: a finance or workforce extract carries
/// imported measures only, and a row for an entered measure is far more likely a mistake than an
/// intention to overwrite what a ward submitted.
/// </param>
public sealed record MeasureImportOptions(bool CheckOnly = false, bool AllowEntered = false);

/// <summary>A bad row of a measures CSV file: <c>costs.csv:5: …</c>.</summary>
public sealed record MeasureImportProblem(string File, int Line, string Message)
{
    public override string ToString() => $"{File}:{Line}: {Message}";
}

/// <summary>What an import (or a check) of a measures CSV file found and did; the same for <c>vm</c> and the admin endpoint.</summary>
/// <param name="Values">How many values (rows) the file holds.</param>
/// <param name="ValuesChanged">How many of them differ from what is stored (and were stored, unless only checked).</param>
/// <param name="WeeksChanged">How many team weeks got (or would get) a new revision.</param>
public sealed record MeasureImportReport(
    string File,
    bool Valid,
    bool Applied,
    IReadOnlyList<MeasureImportProblem> Problems,
    int Values,
    int ValuesChanged,
    int WeeksChanged,
    IReadOnlyList<string> Teams,
    string? FirstWeek,
    string? LastWeek)
{
    public IReadOnlyList<string> Lines()
    {
        if (!Valid)
        {
            var rows = Problems.Select(p => p.Line).Distinct().Count();
            return [$"{File}: {Count(rows, "bad row")} ({Count(Problems.Count, "problem")}); nothing was changed.", .. Problems.Select(p => p.ToString())];
        }
        if (Values == 0) return [$"{File} has no values; nothing was changed."];

        var contents = $"{Count(Values, "value")} for {Count(Teams.Count, "team")}, {(FirstWeek == LastWeek ? FirstWeek : $"{FirstWeek} to {LastWeek}")}";
        var unchanged = Values - ValuesChanged;
        if (!Applied)
            return [$"{File} is valid ({contents}); {Count(ValuesChanged, "value")} would change in {Count(WeeksChanged, "week")}, {unchanged} already stored; nothing was changed (check only)."];
        if (ValuesChanged == 0)
            return [$"{File} imported ({contents}): nothing changed, every value was already stored."];
        return [$"{File} imported ({contents}): {Count(ValuesChanged, "value")} changed in {Count(WeeksChanged, "week")} (a new revision each), {unchanged} already stored."];
    }

    private static string Count(int count, string noun) => Plural.Count(count, noun);
}

/// <summary>
/// Loads figures from finance and workforce extracts: a CSV file with the columns <c>team</c>,
/// <c>week</c>, <c>measure</c> and <c>value</c> (docs/team-setup.md, "Imported measures").
/// </summary>
/// <remarks>
/// Every row is checked first and every bad row is reported with its line; nothing changes unless
/// the whole file is good. Values are stored as revisions of their weeks through
/// <see cref="SubmissionStore.SubmitMany"/>, in one transaction, by the importer
/// (<c>import:&lt;file&gt;</c>), and only values that differ from what is stored: importing the
/// same file again adds no revision and no audit entry. A week's comment is carried over, so an
/// import never clears what the team wrote.
/// </remarks>
public sealed class MeasureCsvImporter(TeamDirectory directory, MeasureSetStore measureSets, SubmissionStore submissions, TimeProvider time)
{
    private static readonly string[] Columns = ["team", "week", "measure", "value"];

    /// <param name="importedBy">Who ran the import, for the revision's name (e.g. the operator's user name).</param>
    public MeasureImportReport Import(byte[] csv, string fileName, MeasureImportOptions options, string importedBy)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<MeasureImportProblem>();
        var rows = Read(csv, fileName, options, problems);
        if (problems.Count > 0)
        {
            return new MeasureImportReport(fileName, Valid: false, Applied: false,
                problems.OrderBy(p => p.Line).ToList(), rows.Count, 0, 0, [], null, null);
        }

        var by = new Submitter($"import:{fileName}", $"Import of {fileName} ({importedBy})");
        var batch = new List<SubmissionBatchItem>();
        var changedValues = 0;
        foreach (var week in rows.GroupBy(r => (r.Team.Id, r.Week)).OrderBy(g => g.Key.Id, StringComparer.Ordinal).ThenBy(g => g.Key.Week))
        {
            var stored = submissions.Load(week.Key.Id, week.Key.Week);
            var current = stored.Current;
            var changed = week
                .Where(r => !current.TryGetValue(r.Measure.Key, out var value) || value != r.Value)
                .ToDictionary(r => r.Measure.Key, r => (double?)r.Value, StringComparer.Ordinal);
            if (changed.Count == 0) continue;
            changedValues += changed.Count;
            batch.Add(new SubmissionBatchItem(week.Key.Id, week.Key.Week,
                new SubmissionProposal(changed, stored.CurrentComment, by, stored.LatestRevisionNumber)));
        }

        var apply = !options.CheckOnly && batch.Count > 0;
        if (apply) submissions.SubmitMany(batch, $"import {fileName}");
        var weeks = rows.Select(r => r.Week).Order().ToList();
        return new MeasureImportReport(fileName, Valid: true, Applied: !options.CheckOnly, [], rows.Count, changedValues, batch.Count,
            rows.Select(r => r.Team.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            weeks.Count == 0 ? null : weeks[0].ToString(),
            weeks.Count == 0 ? null : weeks[^1].ToString());
    }

    private sealed record Row(int Line, TeamProfile Team, IsoWeek Week, MeasureDefinition Measure, double Value);

    private List<Row> Read(byte[] csv, string file, MeasureImportOptions options, List<MeasureImportProblem> problems)
    {
        void Problem(long line, string message) => problems.Add(new MeasureImportProblem(file, (int)line, message));

        var malformed = new Dictionary<long, CsvMalformedReason>();
        var readerOptions = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            // A stray quote must not swallow the rest of the file: every line break ends a record.
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            FormatProvider = CultureInfo.InvariantCulture,
            OnMalformedRecord = record => malformed.TryAdd(record.LineNumber, record.Reason),
        };

        var rows = new List<Row>();
        using var reader = CsvReader.Create(csv, readerOptions);
        IReadOnlyList<string> header;
        try
        {
            header = reader.Headers;
        }
        catch (CsvFormatException e)
        {
            Problem(Math.Max(1, e.LineNumber), "the header line cannot be read: " + e.Message);
            return rows;
        }
        if (header.Count == 0 || header.All(string.IsNullOrWhiteSpace))
        {
            Problem(1, "the file is empty: the first line must be the header team,week,measure,value");
            return rows;
        }
        var index = Columns.ToDictionary(c => c, c => IndexOf(header, c));
        if (index.Values.Any(i => i < 0))
        {
            var missing = string.Join(", ", Columns.Where(c => index[c] < 0));
            var hint = header.Count == 1 && header[0].Contains(';', StringComparison.Ordinal) ? " The file is separated by semicolons: save it with commas." : string.Empty;
            Problem(1, $"the header must name the columns team, week, measure and value; missing: {missing} (found: {string.Join(", ", header)}).{hint}");
            return rows;
        }

        var teams = directory.AllTeams();
        var seen = new Dictionary<(string Team, IsoWeek Week, string Measure), int>();
        while (reader.Read())
        {
            var line = reader.LineNumber;
            if (malformed.TryGetValue(line, out var reason))
            {
                Problem(line, $"the quotes on this line are malformed ({Words(reason)}): put quotes only around a whole field");
                continue;
            }
            if (Columns.Any(c => index[c] >= reader.FieldCount))
            {
                Problem(line, $"the line has {reader.FieldCount} {(reader.FieldCount == 1 ? "field" : "fields")}; each line needs team, week, measure and value");
                continue;
            }

            var teamText = reader.GetString(index["team"]).Trim();
            var weekText = reader.GetString(index["week"]).Trim();
            var measureText = reader.GetString(index["measure"]).Trim();
            var valueText = reader.GetString(index["value"]).Trim();

            var team = FindTeam(teamText, teams, out var teamError);
            if (team is null) Problem(line, teamError!);

            IsoWeek? week = null;
            if (!IsoWeek.TryParse(weekText, out var parsedWeek, out var weekError))
                Problem(line, $"week: {weekError}");
            else if (team is not null && parsedWeek > ClockOf(team).CurrentWeek(time.GetUtcNow()))
                Problem(line, $"week {parsedWeek} has not started yet for {team.Id}: it starts on {parsedWeek.Monday.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture)}");
            else
                week = parsedWeek;

            MeasureDefinition? measure = null;
            if (team is not null)
            {
                var set = measureSets.Find(team.MeasureSetId);
                measure = set is null ? null : CheckMeasure(measureText, team, set, options, message => Problem(line, message));
                if (set is null) Problem(line, $"team {team.Id} uses measure set \"{team.MeasureSetId}\", which does not exist: import the team setup file first");
            }

            double? value = null;
            if (valueText.Length == 0)
                Problem(line, "value: the value is empty; leave the row out when there is no figure");
            else if (valueText.Contains(','))
                Problem(line, $"value: \"{valueText}\": write the number without commas, for example 1234.5 (not 1,234.5)");
            else if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                Problem(line, $"value: \"{valueText}\" is not a number: write digits with a point for decimals, without £ or %, for example 1234.5");
            else if (measure is not null && ((measure.IsInteger && number != Math.Floor(number)) || number < measure.Min || number > measure.Max))
                Problem(line, $"value: {valueText} is out of range for {measure.Key}: {SubmissionParser.ExpectedValueMessage(measure)}");
            else
                value = number == 0 ? 0 : number;

            if (team is null || week is null || measure is null || value is null) continue;
            if (seen.TryGetValue((team.Id, week.Value, measure.Key), out var firstLine))
            {
                Problem(line, $"{team.Id} {week} {measure.Key} is already given on line {firstLine}: give each value once");
                continue;
            }
            seen[(team.Id, week.Value, measure.Key)] = (int)line;
            rows.Add(new Row((int)line, team, week.Value, measure, value.Value));
        }
        return rows;
    }

    private static MeasureDefinition? CheckMeasure(string text, TeamProfile team, MeasureSet set, MeasureImportOptions options, Action<string> problem)
    {
        var imported = set.Measures.Where(m => m.IsImported).Select(m => m.Key).ToList();
        var importable = options.AllowEntered ? set.Measures.Where(m => !m.IsDerived).Select(m => m.Key).ToList() : imported;
        var listing = importable.Count == 0 ? "none" : string.Join(", ", importable);
        var measure = set.Find(text);
        if (measure is null)
        {
            var nearest = set.Measures.Select(m => m.Key)
                .Where(k => TeamNameResolver.Distance(k.ToLowerInvariant(), text.ToLowerInvariant()) <= 2)
                .FirstOrDefault();
            problem($"measure \"{text}\" is not in {team.Id}'s measure set {set.Id}" + (nearest is null ? string.Empty : $"; did you mean \"{nearest}\"?")
                + $" (measures this file can carry for {team.Id}: {listing})");
            return null;
        }
        if (measure.IsDerived)
        {
            problem($"measure {measure.Key} is derived ({measure.Formula}) and is computed, never imported (measures this file can carry for {team.Id}: {listing})");
            return null;
        }
        if (measure.IsEntered && !options.AllowEntered)
        {
            problem($"measure {measure.Key} is entered by the team on the weekly form, not imported (imported measures of {team.Id}: {listing}); "
                + "to load past figures a team kept elsewhere, import with --allow-entered");
            return null;
        }
        return measure;
    }

    /// <summary>A team by its id, name or an alias, exactly as people type them (case, spaces and punctuation aside); no guessing at typos.</summary>
    private static TeamProfile? FindTeam(string text, IReadOnlyList<TeamProfile> teams, out string? error)
    {
        error = null;
        if (text.Length == 0)
        {
            error = "team: the team is empty";
            return null;
        }
        var byId = teams.FirstOrDefault(t => string.Equals(t.Id, text, StringComparison.OrdinalIgnoreCase));
        if (byId is not null) return byId;
        var wanted = TeamNameResolver.Normalise(text);
        var byName = teams.Where(t => t.Names.Any(n => TeamNameResolver.Normalise(n) == wanted)).ToList();
        if (byName.Count == 1) return byName[0];
        if (byName.Count > 1)
        {
            error = $"team \"{text}\" could be {string.Join(" or ", byName.Select(t => t.Id))}: use the team's id";
            return null;
        }
        var guess = TeamNameResolver.Resolve(text, teams) switch
        {
            TeamLookup.Found found => $"; did you mean {found.Team.Id}?",
            TeamLookup.Ambiguous ambiguous => $"; did you mean {string.Join(" or ", ambiguous.Candidates.Select(t => t.Id))}?",
            TeamLookup.NotFound { Suggestions.Count: > 0 } notFound => $"; did you mean {string.Join(" or ", notFound.Suggestions.Select(t => t.Id))}?",
            _ => string.Empty,
        };
        error = $"team \"{text}\" does not exist{guess}" + (teams.Count <= 12 ? $" (teams: {string.Join(", ", teams.Select(t => t.Id).Order(StringComparer.Ordinal))})" : string.Empty);
        return null;
    }

    private static TeamClock ClockOf(TeamProfile team)
    {
        try
        {
            return TeamClock.FromTimeZoneId(team.TimeZoneId);
        }
        catch (ArgumentException)
        {
            return TeamClock.Default;
        }
    }

    private static int IndexOf(IReadOnlyList<string> header, string column)
    {
        for (var i = 0; i < header.Count; i++)
        {
            if (string.Equals(header[i].Trim(), column, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    private static string Words(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "a quote inside a field",
        CsvMalformedReason.TextAfterClosingQuote => "text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "a quote that is never closed",
        CsvMalformedReason.LineBreakInQuotes => "a quote that is not closed on the line",
        _ => reason.ToString(),
    };
}
