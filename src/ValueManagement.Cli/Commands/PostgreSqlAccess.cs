using ValueManagement.Features.Storage.PostgreSql;

namespace ValueManagement.Cli.Commands;

/// <summary>Opening a PostgreSQL database for a command, with every failure told as one line.</summary>
public static class PostgreSqlAccess
{
    /// <summary>
    /// Checks the connection string, then connects and checks the database's layout, so a wrong host or password, or a
    /// layout this program does not write, is reported before any work.
    /// </summary>
    /// <param name="mayUpgradeLayout">Only for <c>vm migrate</c>, which writes this layout: every other command leaves an older layout to the bot.</param>
    public static PostgreSqlDocumentDatabase Open(string connectionString, bool mayUpgradeLayout = false)
    {
        if (PostgreSqlConnectionString.Problem(connectionString) is { } problem)
            throw new CliException($"The PostgreSQL connection string {problem}, e.g. {PostgreSqlConnectionString.Example}.");

        var target = new PostgreSqlDocumentDatabase(connectionString, mayUpgradeLayout);
        try
        {
            Guard(target, () =>
            {
                target.EnsureLayout();
                return true;
            });
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>Turns PostgreSQL's failures (unreachable, refused login, a newer schema) into the one line the operator reads.</summary>
    public static T Guard<T>(PostgreSqlDocumentDatabase target, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (PostgreSqlStorageException e)
        {
            throw new CliException($"PostgreSQL failed: {MigrateCommand.FirstLine(e.Message)}.");
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"{target.Description}: {MigrateCommand.FirstLine(e.Message)}");
        }
    }
}
