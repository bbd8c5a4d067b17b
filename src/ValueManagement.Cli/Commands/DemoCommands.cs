using System.CommandLine;
using ValueManagement.Features.Demo;

namespace ValueManagement.Cli.Commands;

/// <summary><c>vm demo load</c>: the demo teams and a year of figures, into an empty data file.</summary>
public static class DemoCommands
{
    public static Command Create(CliContext context)
    {
        var load = new Command("load", "Load the six NHS Highland demo teams, their people and a year of weekly figures ending last week into an empty data file.");
        load.SetAction((parse, _) => context.RunAsync(async () =>
        {
            using var database = context.OpenDatabase(parse);
            DemoLoadResult result;
            try
            {
                result = DemoData.Load(database, TimeProvider.System);
            }
            catch (DemoDataRefusedException e)
            {
                throw new CliException(e.Message);
            }
            await context.Output.WriteLineAsync($"Loaded demo data into {database.Path}: {result}.");
            return 0;
        }));

        var demo = new Command("demo", "Demo data for trying the bot out.");
        demo.Subcommands.Add(load);
        return demo;
    }
}
