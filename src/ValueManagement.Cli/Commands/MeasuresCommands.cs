using System.CommandLine;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Cli.Commands;

/// <summary>
/// <c>vm measures import --input costs.csv</c> (finance and workforce extracts) and
/// <c>vm measures export --team X --from 2026-W01 --to 2026-W48 --out file.csv</c>, in the CSV
/// format team,week,measure,value. When the bot holds the data file, both go through its admin endpoints.
/// </summary>
public static class MeasuresCommands
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "The CSV file (columns team, week, measure, value) to import.", Required = true };
        var check = new Option<bool>("--check") { Description = "Only check the file and say what would change; change nothing." };
        var allowEntered = new Option<bool>("--allow-entered")
        {
            Description = "Also accept measures the team enters on the weekly form, to load past figures a team kept elsewhere (by default only imported measures are accepted).",
        };
        var import = new Command("import", "Store figures from a finance or workforce extract, all or nothing; values already stored are left alone.");
        import.Options.Add(input);
        import.Options.Add(check);
        import.Options.Add(allowEntered);
        import.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            var path = parse.GetValue(input)!;
            var csv = CliContext.ReadInput(path);
            var file = Path.GetFileName(path);
            var options = new MeasureImportOptions(parse.GetValue(check), parse.GetValue(allowEntered));
            MeasureImportReport report;
            var database = parse.GetValue(check) ? context.TryOpenDatabaseToCheck(parse) : context.TryOpenDatabase(parse, creates: true);
            using (database as IDisposable)
            {
                if (database is not null)
                {
                    var audit = new AuditLog(database);
                    var importer = new MeasureCsvImporter(
                        new TeamDirectory(database, audit, TimeProvider.System), new MeasureSetStore(database),
                        new SubmissionStore(database, audit, TimeProvider.System), TimeProvider.System);
                    report = importer.Import(csv, file, options, Environment.UserName);
                }
                else
                {
                    using var bot = context.Bot(parse);
                    await context.Error.WriteLineAsync($"The data file is in use by the bot: importing through {bot.BotUrl}.");
                    var query = $"/admin/measures/import?file={Uri.EscapeDataString(file)}&check={(options.CheckOnly ? "true" : "false")}&allowEntered={(options.AllowEntered ? "true" : "false")}";
                    report = (await bot.SendAsync(HttpMethod.Post, query, csv, "text/csv", cancellationToken)).Json<MeasureImportReport>();
                }
            }
            foreach (var line in report.Lines()) await (report.Valid ? context.Output : context.Error).WriteLineAsync(line);
            return report.Valid ? 0 : 1;
        }));

        var team = new Option<string[]>("--team") { Description = "A team (id, name or alias); repeat for several. Every team when left out." };
        var from = new Option<string?>("--from") { Description = "The first week, such as 2026-W01." };
        var to = new Option<string?>("--to") { Description = "The last week, such as 2026-W48." };
        var output = new Option<string>("--out") { Description = "Where to write the CSV file.", Required = true };
        var export = new Command("export", "Write the stored figures (current values, one row per measure per week) as CSV.");
        export.Options.Add(team);
        export.Options.Add(from);
        export.Options.Add(to);
        export.Options.Add(output);
        export.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            var teams = parse.GetValue(team) ?? [];
            var first = Week(parse.GetValue(from), "--from");
            var last = Week(parse.GetValue(to), "--to");
            if (first is { } a && last is { } b && a > b) throw new CliException($"--from {a} is after --to {b}.");
            byte[] csv;
            var database = context.TryOpenDatabase(parse, creates: false);
            using (database as IDisposable)
            {
                if (database is not null)
                {
                    var audit = new AuditLog(database);
                    var directory = new TeamDirectory(database, audit, TimeProvider.System);
                    var ids = teams.Select(text => directory.Resolve(text) is TeamLookup.Found found && AdminEndpoints.SameTeam(text, found.Team)
                        ? found.Team.Id
                        : throw new CliException($"There is no team \"{text}\": give its id, name or an alias ({string.Join(", ", directory.AllTeams().Select(t => t.Id))}).")).ToList();
                    csv = new MeasureCsvExporter(directory, new MeasureSetStore(database), new SubmissionStore(database, audit, TimeProvider.System)).Export(ids, first, last);
                }
                else
                {
                    using var bot = context.Bot(parse);
                    await context.Error.WriteLineAsync($"The data file is in use by the bot: exporting through {bot.BotUrl}.");
                    var query = string.Join("&", teams.Select(t => "team=" + Uri.EscapeDataString(t))
                        .Concat(first is null ? [] : [$"from={first}"])
                        .Concat(last is null ? [] : [$"to={last}"]));
                    csv = (await bot.SendAsync(HttpMethod.Get, "/admin/measures/export" + (query.Length > 0 ? "?" + query : string.Empty), null, null, cancellationToken)).Body;
                }
            }
            var path = parse.GetValue(output)!;
            CliContext.WriteOutput(path, csv);
            var rows = csv.Count(b => b == (byte)'\n') - 1;
            await context.Output.WriteLineAsync($"Wrote {path}: {rows} {(rows == 1 ? "value" : "values")}.");
            return 0;
        }));

        var measures = new Command("measures", "Weekly figures as CSV: imports from finance and workforce extracts, exports of what is stored.");
        measures.Options.Add(CliContext.BotUrlOption);
        measures.Subcommands.Add(import);
        measures.Subcommands.Add(export);
        return measures;
    }

    private static IsoWeek? Week(string? text, string option)
    {
        if (text is null) return null;
        return IsoWeek.TryParse(text, out var week, out var error) ? week : throw new CliException($"{option}: {error}");
    }
}
