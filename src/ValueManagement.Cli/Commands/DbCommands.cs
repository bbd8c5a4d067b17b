using System.CommandLine;
using Microsoft.Extensions.Configuration;
using ValueManagement.Features.Storage;

namespace ValueManagement.Cli.Commands;

/// <summary><c>vm db status</c>: which database, which schema version, how much is in each collection.</summary>
public static class DbCommands
{
    public static Command Create(CliContext context)
    {
        var postgres = new Option<string?>("--postgres")
        {
            Description = "A PostgreSQL connection string to look at instead of the data file (default: Storage:PostgreSql:ConnectionString when Storage:Provider is PostgreSql and no --db is given).",
        };
        var status = new Command("status", "Show the database (the LiteDB file or PostgreSQL), its schema version and how many documents each collection holds.");
        status.Options.Add(postgres);
        status.SetAction(parse => context.RunAsync(() => Task.FromResult(
            (parse.GetValue(postgres) is { Length: > 0 } given ? given : context.ConfiguredPostgreSql(parse)) is { } connectionString
                ? PostgreSqlStatus(context, connectionString)
                : LiteDbStatus(context, parse))));

        var db = new Command("db", "The data file, or the PostgreSQL database.");
        db.Subcommands.Add(status);
        return db;
    }

    private static int LiteDbStatus(CliContext context, ParseResult parse)
    {
        using var database = context.OpenDatabase(parse);
        context.Output.WriteLine($"file: {database.Path}");
        context.Output.WriteLine($"schema version: {Migrations.ReadVersion(database.Database)} (this program: {Migrations.CurrentVersion})");
        WriteCounts(context, database);
        return 0;
    }

    private static int PostgreSqlStatus(CliContext context, string connectionString)
    {
        using var database = PostgreSqlAccess.Open(connectionString);
        context.Output.WriteLine($"database: {database.Description}");
        PostgreSqlAccess.Guard(database, () =>
        {
            WriteCounts(context, database);
            return true;
        });
        return 0;
    }

    private static void WriteCounts(CliContext context, IDocumentDatabase database)
    {
        foreach (var collection in StoredCollections.All)
            context.Output.WriteLine($"{collection.Name}: {collection.Count(database)}");
    }
}
