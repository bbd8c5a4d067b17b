using System.CommandLine;
using ValueManagement.Features.Admin;
using ValueManagement.Features.Storage;

namespace ValueManagement.Cli.Commands;

/// <summary>
/// <c>vm backup --out file</c>: a consistent copy of the data file, taken directly when the file is
/// free, or by the running bot (which also keeps it under its data folder's <c>backups</c>).
/// </summary>
public static class BackupCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "The backup file to write; it must not exist yet.", Required = true };
        var backup = new Command("backup", "Write a consistent copy of the data file, also while the bot is running.");
        backup.Options.Add(output);
        backup.Options.Add(CliContext.BotUrlOption);
        backup.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            var path = Path.GetFullPath(parse.GetValue(output)!);
            if (File.Exists(path)) throw new CliException($"{path} already exists: a backup never overwrites a file.");
            if (context.ConfiguredPostgreSql(parse) is not null) throw new CliException(DatabaseBackup.PostgreSqlAdvice);
            using (var database = context.TryOpenDataFile(parse, creates: false))
            {
                if (database is not null)
                {
                    if (string.Equals(path, database.Path, StringComparison.Ordinal)) throw new CliException("The backup cannot be the data file itself.");
                    if (StoredCollections.All.Sum(c => c.Count(database)) == 0)
                        throw new CliException($"The data file {database.Path} holds no data (no teams, figures or anything else): no backup was written. Is it the bot's data file? Give --db for another.");
                    var result = new DatabaseBackup(database, TimeProvider.System).WriteTo(path);
                    await context.Output.WriteLineAsync($"Wrote {path}: {result.Documents} documents in {result.Collections} collections, {result.Bytes} bytes.");
                    return 0;
                }
            }

            using var bot = context.Bot(parse);
            await context.Error.WriteLineAsync($"The data file is in use by the bot: asking {bot.BotUrl} for a backup.");
            var reply = await bot.SendAsync(HttpMethod.Post, "/admin/backup", null, null, cancellationToken);
            CliContext.WriteOutput(path, reply.Body);
            var kept = reply.Headers.TryGetValues(AdminProtocol.BackupHeader, out var names) ? names.First() : null;
            await context.Output.WriteLineAsync($"Wrote {path}: {reply.Body.Length} bytes, taken by the bot"
                + (kept is null ? "." : $" (it keeps a copy as {kept} in its data folder)."));
            return 0;
        }));
        return backup;
    }
}
