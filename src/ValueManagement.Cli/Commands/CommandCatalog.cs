using System.CommandLine;

namespace ValueManagement.Cli.Commands;

/// <summary>Every <c>vm</c> noun, each in its own file.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> Create(CliContext context) =>
    [
        DbCommands.Create(context),
        SpcCommand.Create(context),
        CardsCommand.Create(context),
        ManifestCommand.Create(context),
        TeamsCommands.Create(context),
        MeasuresCommands.Create(context),
        DemoCommands.Create(context),
        BackupCommand.Create(context),
        MigrateCommand.Create(context),
    ];
}
