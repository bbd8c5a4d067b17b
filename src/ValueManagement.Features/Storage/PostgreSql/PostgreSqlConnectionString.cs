using Npgsql;

namespace ValueManagement.Features.Storage.PostgreSql;

/// <summary>What is wrong with a PostgreSQL connection string before any connection is tried; the bot's settings check and the <c>vm</c> tool both ask here.</summary>
public static class PostgreSqlConnectionString
{
    public const string Example = "\"Host=db.internal;Database=valuemanagement;Username=vm\"";

    /// <summary>Null when it can be used; else what is wrong, to follow the name of the setting or option (e.g. "names no Host").</summary>
    public static string? Problem(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host)) return "names no Host";
            if (string.IsNullOrWhiteSpace(builder.Database)) return "names no Database";
            return null;
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword it could not read, never the password.
            return $"cannot be read: {e.Message.Split('\n', 2)[0].Trim().TrimEnd('.')}";
        }
    }
}
