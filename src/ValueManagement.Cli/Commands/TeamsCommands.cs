using System.CommandLine;
using ValueManagement.Features.Audit;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Core.Text;

namespace ValueManagement.Cli.Commands;

/// <summary>
/// <c>vm teams import --input teams.json [--check]</c> and <c>vm teams export --out teams.json</c>:
/// the team setup file (docs/team-setup.md). When the bot holds the data file, both go through
/// its admin endpoints.
/// </summary>
public static class TeamsCommands
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "The team setup file (JSON) to import.", Required = true };
        var check = new Option<bool>("--check") { Description = "Only check the file and report every problem; change nothing." };
        var import = new Command("import", "Replace boards, services, measure sets, teams and roles with a team setup file, all or nothing. Channel bindings made in Teams are kept.");
        import.Options.Add(input);
        import.Options.Add(check);
        import.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            var path = parse.GetValue(input)!;
            var json = CliContext.ReadInput(path);
            var file = Path.GetFileName(path);
            TeamSetupImportReport report;
            var database = parse.GetValue(check) ? context.TryOpenDatabaseToCheck(parse) : context.TryOpenDatabase(parse, creates: true);
            using (database as IDisposable)
            {
                if (database is not null)
                {
                    var importer = new TeamSetupImporter(new TeamDirectory(database, new AuditLog(database), TimeProvider.System));
                    report = parse.GetValue(check) ? importer.Check(json, file) : importer.Import(json, file, Actor.Tool("teams import"));
                }
                else
                {
                    using var bot = context.Bot(parse);
                    await context.Error.WriteLineAsync($"The data file is in use by the bot: importing through {bot.BotUrl}.");
                    var query = $"/admin/teams/import?file={Uri.EscapeDataString(file)}{(parse.GetValue(check) ? "&check=true" : string.Empty)}";
                    report = (await bot.SendAsync(HttpMethod.Post, query, json, "application/json", cancellationToken)).Json<TeamSetupImportReport>();
                }
            }
            foreach (var line in report.Lines()) await (report.Valid ? context.Output : context.Error).WriteLineAsync(line);
            return report.Valid ? 0 : 1;
        }));

        var output = new Option<string>("--out") { Description = "Where to write the team setup file (JSON).", Required = true };
        var export = new Command("export", "Write the organisation in the data file as a team setup file, the format import reads.");
        export.Options.Add(output);
        export.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            byte[] json;
            var database = context.TryOpenDatabase(parse, creates: false);
            using (database as IDisposable)
            {
                if (database is not null)
                {
                    json = new TeamSetupExporter(new TeamDirectory(database, new AuditLog(database), TimeProvider.System), new MeasureSetStore(database)).Export();
                }
                else
                {
                    using var bot = context.Bot(parse);
                    await context.Error.WriteLineAsync($"The data file is in use by the bot: exporting through {bot.BotUrl}.");
                    json = (await bot.SendAsync(HttpMethod.Get, "/admin/teams/export", null, null, cancellationToken)).Body;
                }
            }
            var path = parse.GetValue(output)!;
            CliContext.WriteOutput(path, json);
            var counts = TeamSetupReader.Read(json, Path.GetFileName(path)).Document;
            await context.Output.WriteLineAsync(counts is null
                ? $"Wrote {path}."
                : $"Wrote {path}: {Count(counts.Boards.Count, "board")}, {Count(counts.Services.Count, "service")}, {Count(counts.MeasureSets.Count, "measure set")}, {Count(counts.Teams.Count, "team")}, {Count(counts.Roles.Count, "role")}.");
            return 0;
        }));

        var teams = new Command("teams", "The team setup file: boards, services, measure sets, teams and roles.");
        teams.Options.Add(CliContext.BotUrlOption);
        teams.Subcommands.Add(import);
        teams.Subcommands.Add(export);
        return teams;
    }

    private static string Count(int count, string noun) => Plural.Count(count, noun);
}
