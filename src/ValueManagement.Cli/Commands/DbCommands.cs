using System.CommandLine;
using Microsoft.Extensions.Configuration;
using ValueManagement.Features.Admin;
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
        status.Options.Add(CliContext.BotUrlOption);
        status.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
            (parse.GetValue(postgres) is { Length: > 0 } given ? given : context.ConfiguredPostgreSql(parse)) is { } connectionString
                ? PostgreSqlStatus(context, connectionString)
                : await LiteDbStatusAsync(context, parse, cancellationToken)));

        var db = new Command("db", "The data file, or the PostgreSQL database.");
        db.Subcommands.Add(status);
        return db;
    }

    /// <summary>The data file's status, read directly when it is free, else asked of the running bot that holds it.</summary>
    private static async Task<int> LiteDbStatusAsync(CliContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        DatabaseStatus? status = null;
        using (var database = context.TryOpenDataFile(parse, creates: false))
        {
            if (database is not null) status = DatabaseStatus.Of(database);
        }
        if (status is null)
        {
            using var bot = context.Bot(parse);
            await context.Error.WriteLineAsync($"The data file is in use by the bot: asking {bot.BotUrl} for its status.");
            status = (await bot.SendAsync(HttpMethod.Get, "/admin/status", null, null, cancellationToken)).Json<DatabaseStatus>();
            var expected = Path.GetFullPath(context.DatabasePath(parse));
            if (!string.Equals(status.Database, expected, StringComparison.Ordinal))
                throw new CliException($"The data file {expected} is in use, but the bot at {bot.BotUrl} holds {status.Database}, not it: give the right bot with --bot-url, or the right file with --db.");
        }
        await context.Output.WriteLineAsync($"file: {status.Database}");
        if (status.SchemaVersion is { } version)
            await context.Output.WriteLineAsync($"schema version: {version} (this program: {Migrations.CurrentVersion})");
        foreach (var collection in status.Collections)
            await context.Output.WriteLineAsync($"{collection.Name}: {collection.Count}");
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
