using System.CommandLine;
using Microsoft.Extensions.Configuration;
using ValueManagement.Features.Storage;

namespace ValueManagement.Cli;

/// <summary>What every command shares: the output streams, the configuration and the data file.</summary>
public sealed class CliContext(TextWriter output, TextWriter error)
{
    public static readonly Option<string?> DbOption = new("--db")
    {
        Description = "The LiteDB data file (default: Storage:LiteDb:Path from the settings).",
        Recursive = true,
    };

    public static readonly Option<string?> EnvironmentOption = new("--environment")
    {
        Description = "Which appsettings.{Environment}.json to read (default: DOTNET_ENVIRONMENT, ASPNETCORE_ENVIRONMENT, else Production).",
        Recursive = true,
    };

    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>The bot's settings: its appsettings files (copied beside this tool), then environment variables.</summary>
    public IConfiguration Configuration(ParseResult parse)
    {
        var environment = parse.GetValue(EnvironmentOption)
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
    }

    public string DatabasePath(ParseResult parse)
    {
        var explicitPath = parse.GetValue(DbOption);
        if (!string.IsNullOrWhiteSpace(explicitPath)) return explicitPath;
        var options = new StorageOptions();
        Configuration(parse).GetSection(StorageOptions.SectionName).Bind(options);
        return options.LiteDb.Path;
    }

    /// <summary>
    /// Opens the data file for this command alone. A file has one writer: when the bot holds it,
    /// this says so instead of waiting or corrupting it.
    /// </summary>
    public VmDatabase OpenDatabase(ParseResult parse)
    {
        var path = DatabasePath(parse);
        try
        {
            return new VmDatabase(path);
        }
        catch (IOException e)
        {
            throw new CliException($"The data file {Path.GetFullPath(path)} is in use, probably by the running bot ({e.Message}). Stop the bot, or ask it through its admin endpoint.");
        }
    }
}
