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
/// The command table: command words and aliases to commands, matched case-insensitively, with punctuation
/// typed after the word ignored.
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

        var (word, arguments) = SplitWord(trimmed);
        if (_byWord.TryGetValue(word, out var command)) return (command, word, arguments);

        // "Help!", "missing?", "teams.": punctuation after the command word is not part of it.
        var bare = word.TrimEnd(TrailingPunctuation);
        return bare.Length > 0 && bare.Length < word.Length && _byWord.TryGetValue(bare, out command)
            ? (command, bare, arguments)
            : null;
    }

    /// <summary>
    /// The command that <paramref name="text"/>'s first word is a small typo of ("repot" for report), among the commands
    /// <paramref name="offered"/> to this caller, with the words that followed; null when no command word is that close.
    /// </summary>
    public (CommandInfo Command, string Arguments)? Suggest(string text, Func<CommandInfo, bool> offered)
    {
        var trimmed = text.Trim();
        if (trimmed.StartsWith('/')) trimmed = trimmed[1..].TrimStart();
        var (word, arguments) = SplitWord(trimmed);
        word = word.TrimEnd(TrailingPunctuation);
        if (word.Length is 0 or > MaxSuggestedWordLength) return null;

        var allowed = word.Length <= 6 ? 1 : 2;
        CommandInfo? best = null;
        var bestDistance = allowed + 1;
        foreach (var command in Commands.Select(c => c.Info).Where(offered))
        {
            foreach (var name in command.Aliases.Prepend(command.Name))
            {
                var distance = EditDistance.Between(word.ToLowerInvariant(), name.ToLowerInvariant(), allowed);
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (command, distance);
                }
            }
        }
        return best is null ? null : (best, arguments);
    }

    private const int MaxSuggestedWordLength = 30;

    private static readonly char[] TrailingPunctuation = ['!', '?', '.', ',', ';', ':', '…'];

    private static (string Word, string Arguments) SplitWord(string trimmed)
    {
        var end = 0;
        while (end < trimmed.Length && !char.IsWhiteSpace(trimmed[end])) end++;
        return (trimmed[..end], trimmed[end..].Trim());
    }
}

/// <summary>Optimal string alignment distance (Levenshtein with adjacent transpositions), for "did you mean".</summary>
public static class EditDistance
{
    /// <summary>The distance between <paramref name="a"/> and <paramref name="b"/>, or <c>most + 1</c> when it is more than <paramref name="most"/>.</summary>
    public static int Between(string a, string b, int most)
    {
        if (Math.Abs(a.Length - b.Length) > most) return most + 1;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return Math.Min(d[a.Length, b.Length], most + 1);
    }
}
