using System.Net;
using System.Text.RegularExpressions;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Teams.Routing;

public static partial class MessageText
{
    /// <summary>
    /// The message text with the bot's own @mention removed, found through the mention entities
    /// (never by the bot's name), with HTML entities decoded and white space folded.
    /// </summary>
    public static string WithoutBotMention(Activity activity)
    {
        var text = activity.Text ?? string.Empty;
        foreach (var entity in activity.Entities ?? [])
        {
            if (!string.Equals(entity.Type, "mention", StringComparison.OrdinalIgnoreCase)) continue;
            if (entity.Mentioned?.Id is null || !string.Equals(entity.Mentioned.Id, activity.Recipient?.Id, StringComparison.OrdinalIgnoreCase)) continue;

            var mentionText = entity.Text ?? (entity.Mentioned.Name is { } name ? $"<at>{name}</at>" : null);
            if (!string.IsNullOrEmpty(mentionText))
                text = text.Replace(mentionText, " ", StringComparison.OrdinalIgnoreCase);
        }

        text = WebUtility.HtmlDecode(text);
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"[\s\u00A0\u200B]+")]
    private static partial Regex Whitespace();
}
