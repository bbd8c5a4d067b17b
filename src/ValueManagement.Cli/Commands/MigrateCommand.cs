using System.CommandLine;
using Npgsql;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;

namespace ValueManagement.Cli.Commands;

/// <summary>
/// <c>vm migrate --input data.db --out "Host=...;Database=..."</c>: copies every collection of a
/// LiteDB file into PostgreSQL in one transaction, then checks both sides hold the same documents.
/// Documents are upserted by id, so running it again copies again and adds nothing.
/// </summary>
public static class MigrateCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "The LiteDB data file to copy (stop the bot first, or copy a backup made with vm backup).", Required = true };
        var output = new Option<string>("--out") { Description = "The PostgreSQL connection string, e.g. \"Host=db.internal;Database=valuemanagement;Username=vm;Password=...\".", Required = true };
        var migrate = new Command("migrate", "Copy a LiteDB data file into PostgreSQL and verify the copy (counts per collection, checksums of the submissions and the audit). Safe to re-run.");
        migrate.Options.Add(input);
        migrate.Options.Add(output);
        migrate.SetAction(parse => context.RunAsync(() => Task.FromResult(Run(context, parse.GetValue(input)!, parse.GetValue(output)!))));
        return migrate;
    }

    private static int Run(CliContext context, string inputPath, string connectionString)
    {
        using var source = OpenSource(inputPath);
        using var target = OpenTarget(connectionString);
        context.Output.WriteLine($"Copying {source.Path} into {target.Description}.");

        // One transaction: a failure part-way leaves the target as it was.
        var copied = Guard(target, () => target.InTransaction(() => StoredCollections.All.Sum(collection => collection.CopyTo(source, target))));
        var report = Guard(target, () => MigrationReport.Compare(source, target));

        report.WriteTo(context.Output);
        if (!report.AllMatch)
        {
            context.Error.WriteLine($"The copy does not match the source: {string.Join(", ", report.Mismatches)}. Nothing in {source.Path} was changed; look into the target database before switching the bot to it.");
            return 1;
        }
        context.Output.WriteLine($"Copied {copied} documents in {StoredCollections.All.Count} collections; every count and checksum matches.");
        return 0;
    }

    private static VmDatabase OpenSource(string path)
    {
        var full = Path.GetFullPath(path);
        // VmDatabase creates a missing file; a migration must never start from an empty one by mistake.
        if (!File.Exists(full)) throw new CliException($"The LiteDB file {full} does not exist.");
        try
        {
            return new VmDatabase(full);
        }
        catch (DatabaseInUseException)
        {
            throw new CliException($"The LiteDB file {full} is in use, probably by the running bot. Stop the bot and run vm migrate again, or migrate a copy made with vm backup --out.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LiteDB.LiteException)
        {
            throw new CliException($"The LiteDB file {full} cannot be opened: {FirstLine(e.Message)}");
        }
    }

    private static PostgreSqlDocumentDatabase OpenTarget(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword it could not read, never the password.
            throw new CliException($"The PostgreSQL connection string cannot be read: {FirstLine(e.Message)}");
        }
        if (string.IsNullOrWhiteSpace(builder.Host)) throw new CliException("The PostgreSQL connection string names no Host, e.g. \"Host=db.internal;Database=valuemanagement;Username=vm\".");
        if (string.IsNullOrWhiteSpace(builder.Database)) throw new CliException("The PostgreSQL connection string names no Database, e.g. \"Host=db.internal;Database=valuemanagement;Username=vm\".");

        var target = new PostgreSqlDocumentDatabase(connectionString);
        try
        {
            Guard(target, () => target.InTransaction(() => true));
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>Turns PostgreSQL's failures (unreachable, refused login, a newer schema) into the one line the operator reads.</summary>
    private static T Guard<T>(PostgreSqlDocumentDatabase target, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (PostgreSqlStorageException e)
        {
            throw new CliException($"PostgreSQL failed: {FirstLine(e.Message)}.");
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"{target.Description}: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim().TrimEnd('.');
}
