using System.Net;
using System.Text.RegularExpressions;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Routing;

public static partial class MessageText
{
    /// <summary>
    /// The longest command text read: the longest command is a cycle note of up to 1,000 characters, so twice
    /// that still gets its own answer ("the note is too long"); anything longer is answered at once, before any
    /// parsing, so no message within the body limit costs more than a short one.
    /// </summary>
    public const int MaxCommandLength = 2000;

    /// <summary>The longest raw text read (before mentions are removed and entities decoded).</summary>
    public const int MaxRawTextLength = 4 * MaxCommandLength;

    private const int MaxBotMentions = 10;

    public const string TooLong = "That message is too long for a command: I read commands of up to 2,000 characters. Type **help** to see what I can do.";

    /// <summary>
    /// The message text with the bot's own @mention removed, found through the mention entities
    /// (never by the bot's name), with HTML entities decoded and white space folded.
    /// </summary>
    public static string WithoutBotMention(Activity activity)
    {
        var text = activity.Text ?? string.Empty;
        var removed = 0;
        foreach (var entity in activity.Entities ?? [])
        {
            // A message mentions the bot once or twice; a flood of mention entities is not read further.
            if (removed == MaxBotMentions) break;
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase)) continue;
            if (entity.Mentioned?.Id is null || !string.Equals(entity.Mentioned.Id, activity.Recipient?.Id, StringComparison.OrdinalIgnoreCase)) continue;

            var mentionText = entity.Text ?? (entity.Mentioned.Name is { } name ? $"<at>{name}</at>" : null);
            if (!string.IsNullOrEmpty(mentionText))
                text = text.Replace(mentionText, " ", StringComparison.OrdinalIgnoreCase);
            removed++;
        }

        text = WebUtility.HtmlDecode(text);
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"[\s\u00A0\u200B]+")]
    private static partial Regex Whitespace();
}
