using System.ComponentModel.DataAnnotations;

namespace ValueManagement.Features.Storage;

/// <summary>Where the bot keeps its data (<c>Storage</c> section).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.LiteDb;

    public LiteDbStorageOptions LiteDb { get; set; } = new();
}

public enum StorageProvider
{
    LiteDb,
}

public sealed class LiteDbStorageOptions
{
    /// <summary>The LiteDB file. Relative paths are relative to the working directory.</summary>
    [Required]
    public string Path { get; set; } = "data/valuemanagement.db";
}
