using System.ComponentModel.DataAnnotations;

namespace ValueManagement.Features.Storage;

/// <summary>Where the bot keeps its data (<c>Storage</c> section).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.LiteDb;

    public LiteDbStorageOptions LiteDb { get; set; } = new();

    public PostgreSqlStorageOptions PostgreSql { get; set; } = new();
}

public enum StorageProvider
{
    /// <summary>One LiteDB file, one bot process: the default.</summary>
    LiteDb,

    /// <summary>One PostgreSQL database shared by several bot instances; Hangfire keeps its jobs there too.</summary>
    PostgreSql,
}

public sealed class LiteDbStorageOptions
{
    /// <summary>The LiteDB file. A relative path is relative to the current directory, for the bot and for vm alike.</summary>
    [Required]
    public string Path { get; set; } = "data/valuemanagement.db";
}

public sealed class PostgreSqlStorageOptions
{
    /// <summary>
    /// An Npgsql connection string, e.g. <c>Host=db.internal;Database=valuemanagement;Username=vm</c>.
    /// Required when <see cref="StorageOptions.Provider"/> is <see cref="StorageProvider.PostgreSql"/>;
    /// give the password through the environment (<c>Storage__PostgreSql__ConnectionString</c>), not a file.
    /// </summary>
    public string? ConnectionString { get; set; }
}
