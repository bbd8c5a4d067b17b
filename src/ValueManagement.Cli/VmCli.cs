using System.CommandLine;
using ValueManagement.Cli.Commands;

namespace ValueManagement.Cli;

/// <summary>
/// <c>vm</c>, the admin tool: <c>vm &lt;noun&gt; &lt;verb&gt;</c>, <c>--input</c> for what it reads,
/// <c>--out</c> for what it writes, <c>--db</c> to name a data file other than the configured one.
/// </summary>
public static class VmCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("vm: the Value Management bot's admin tool. It reads the same settings as the bot (appsettings.json, environment variables).");
        root.Options.Add(CliContext.DbOption);
        root.Options.Add(CliContext.EnvironmentOption);

        foreach (var command in CommandCatalog.Create(context))
            root.Subcommands.Add(command);

        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(invocation, cancellationToken);
        }
        catch (CliException e)
        {
            await error.WriteLineAsync(e.Message);
            return e.ExitCode;
        }
    }
}

/// <summary>A failure to report to the operator as one clear line, without a stack trace.</summary>
public sealed class CliException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
