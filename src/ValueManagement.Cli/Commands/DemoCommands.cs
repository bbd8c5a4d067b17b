using System.CommandLine;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Storage;

namespace ValueManagement.Cli.Commands;

/// <summary><c>vm demo load</c>: the demo teams and a year of figures, into an empty data file.</summary>
public static class DemoCommands
{
    public static Command Create(CliContext context)
    {
        var load = new Command("load", "Load the six NHS Highland demo teams, their people and a year of weekly figures ending last week into an empty database (the data file, or PostgreSQL when Storage:Provider is PostgreSql).");
        load.SetAction((parse, _) => context.RunAsync(async () =>
        {
            IDocumentDatabase database = context.ConfiguredPostgreSql(parse) is { } connectionString
                ? PostgreSqlAccess.Open(connectionString)
                : context.OpenDatabase(parse);
            using var _ = database as IDisposable;
            DemoLoadResult result;
            try
            {
                result = DemoData.Load(database, TimeProvider.System);
            }
            catch (DemoDataRefusedException e)
            {
                throw new CliException(e.Message);
            }
            await context.Output.WriteLineAsync($"Loaded demo data into {database.Description}: {result}.");
            return 0;
        }));

        var demo = new Command("demo", "Demo data for trying the bot out.");
        demo.Subcommands.Add(load);
        return demo;
    }
}
