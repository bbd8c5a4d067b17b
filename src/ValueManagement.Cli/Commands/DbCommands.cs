using System.CommandLine;
using ValueManagement.Features.Storage;

namespace ValueManagement.Cli.Commands;

/// <summary><c>vm db status</c>: which file, which schema version, how much is in it.</summary>
public static class DbCommands
{
    public static Command Create(CliContext context)
    {
        var status = new Command("status", "Show the data file, its schema version and what it holds.");
        status.SetAction(parse =>
        {
            using var database = context.OpenDatabase(parse);
            context.Output.WriteLine($"file: {database.Path}");
            context.Output.WriteLine($"schema version: {Migrations.ReadVersion(database.Database)} (this program: {Migrations.CurrentVersion})");
            foreach (var name in database.Database.GetCollectionNames().Order(StringComparer.Ordinal))
                context.Output.WriteLine($"{name}: {database.Database.GetCollection(name).Count()}");
            return 0;
        });

        var db = new Command("db", "The data file.");
        db.Subcommands.Add(status);
        return db;
    }
}
