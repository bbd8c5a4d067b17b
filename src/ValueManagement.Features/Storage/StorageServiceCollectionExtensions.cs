using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Storage.PostgreSql;

namespace ValueManagement.Features.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The document database the stores use, chosen by <c>Storage:Provider</c>: the LiteDB file
    /// (<see cref="VmDatabase"/>) or PostgreSQL (<see cref="PostgreSqlDocumentDatabase"/>), and the check
    /// at start that the chosen one is configured.
    /// </summary>
    public static IServiceCollection AddDocumentDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidation>();
        services.AddSingleton<IDocumentDatabase>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Provider switch
            {
                StorageProvider.PostgreSql => new PostgreSqlDocumentDatabase(options.PostgreSql.ConnectionString!),
                _ => provider.GetRequiredService<VmDatabase>(),
            };
        });
        return services;
    }
}

/// <summary>Refuses to start with PostgreSQL chosen and no usable connection string, saying which key to set.</summary>
public sealed class StorageOptionsValidation : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Provider))
            return ValidateOptionsResult.Fail($"Storage:Provider '{options.Provider}' is not LiteDb or PostgreSql.");
        if (options.Provider != StorageProvider.PostgreSql) return ValidateOptionsResult.Success;

        var connectionString = options.PostgreSql.ConnectionString;
        if (string.IsNullOrWhiteSpace(connectionString))
            return ValidateOptionsResult.Fail($"Storage:PostgreSql:ConnectionString is required when Storage:Provider is PostgreSql, e.g. {PostgreSqlConnectionString.Example} (give it through the environment as Storage__PostgreSql__ConnectionString so the password stays out of files).");
        if (PostgreSqlConnectionString.Problem(connectionString) is { } problem)
            return ValidateOptionsResult.Fail($"Storage:PostgreSql:ConnectionString {problem}.");
        return ValidateOptionsResult.Success;
    }
}
