using System.CommandLine;
using ValueManagement.Features.Capture;
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
        using var target = PostgreSqlAccess.Open(connectionString, mayUpgradeLayout: true);
        context.Output.WriteLine($"Copying {source.Path} into {target.Description}.");

        // One transaction: a failure part-way leaves the target as it was.
        var copied = PostgreSqlAccess.Guard(target, () => target.InTransaction(() =>
        {
            // Current values are worked out from the revisions: tables the target built from an earlier copy's revisions
            // would not see the revisions copied now, so they are replaced by the source's (the rest are built at first read).
            target.Collection(SubmissionStore.StoredCurrentValues).DeleteAll();
            return StoredCollections.All.Sum(collection => collection.CopyTo(source, target));
        }));
        var report = PostgreSqlAccess.Guard(target, () => MigrationReport.Compare(source, target));

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

    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim().TrimEnd('.');
}
