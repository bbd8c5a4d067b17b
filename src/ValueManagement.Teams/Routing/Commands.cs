using System.Collections.Frozen;

namespace ValueManagement.Teams.Routing;

/// <summary>Where a command may be used.</summary>
[Flags]
public enum CommandScopes
{
    Personal = 1,
    GroupChat = 2,
    Team = 4,
    All = Personal | GroupChat | Team,
}

/// <summary>
/// Who a command is for. Help shows a command to a caller in any of its audiences; the command
/// itself still asks the permission check, so this decides only what help lists.
/// </summary>
[Flags]
public enum CommandAudience
{
    /// <summary>Anyone, even someone in no team.</summary>
    Everyone = 1,
    /// <summary>Anyone with a role in some team (member, data lead, coach, manager).</summary>
    TeamPeople = 2,
    Coaches = 4,
    Managers = 8,
    Admins = 16,
}

/// <summary>What help shows about a command, and what the app manifest's command menu lists.</summary>
public sealed record CommandInfo(string Name, string Usage, string Summary)
{
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public CommandScopes Scopes { get; init; } = CommandScopes.All;
    public CommandAudience Audience { get; init; } = CommandAudience.Everyone;
    /// <summary>Lower comes first in help and in the manifest's command lists (most used first).</summary>
    public int Order { get; init; } = 100;
}

/// <summary>A typed command such as <c>help</c> or <c>report ward 7</c>.</summary>
public interface IBotCommand
{
    CommandInfo Info { get; }
    Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken);
}

/// <param name="Arguments">The text after the command word, trimmed.</param>
public sealed record CommandRequest(TurnContext Turn, string Name, string Arguments)
{
    public IReadOnlyList<string> Words { get; } = Arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>
/// The command table: command words and aliases to commands, matched exactly and case-insensitively.
/// A duplicate name is a programming error and stops the host at start.
/// </summary>
public sealed class CommandTable
{
    private readonly FrozenDictionary<string, IBotCommand> _byWord;

    public CommandTable(IEnumerable<IBotCommand> commands)
    {
        var byWord = new Dictionary<string, IBotCommand>(StringComparer.OrdinalIgnoreCase);
        var ordered = new List<IBotCommand>();
        foreach (var command in commands)
        {
            foreach (var word in command.Info.Aliases.Prepend(command.Info.Name))
            {
                if (!byWord.TryAdd(word, command))
                    throw new InvalidOperationException($"Two commands answer to '{word}': {byWord[word].GetType().Name} and {command.GetType().Name}.");
            }
            ordered.Add(command);
        }
        _byWord = byWord.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Commands = ordered.OrderBy(c => c.Info.Order).ThenBy(c => c.Info.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>All commands, most used first.</summary>
    public IReadOnlyList<IBotCommand> Commands { get; }

    /// <summary>Splits "<c>/report ward 7</c>" into a command and its arguments; null when the word is not a command.</summary>
    public (IBotCommand Command, string Word, string Arguments)? Match(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('/')) trimmed = trimmed[1..].TrimStart();
        if (trimmed.Length == 0) return null;

        var end = 0;
        while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end])) end++;
        var word = trimmed[..end];
        return _byWord.TryGetValue(word, out var command)
            ? (command, word, trimmed[end..].Trim())
            : null;
    }
}
