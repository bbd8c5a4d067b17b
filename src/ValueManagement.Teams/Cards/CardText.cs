using System.Runtime.CompilerServices;
using System.Text;

namespace ValueManagement.Teams.Cards;

/// <summary>
/// Teams renders the text of a <see cref="TextBlock"/> and of a <see cref="Fact"/> as markdown (bold,
/// italic, lists, links), so text one person typed (a note, a comment, a display name, a team or measure
/// name an admin set) must be escaped before another person's card shows it: otherwise
/// <c>[Verify your NHS account](https://evil.example)</c> is a live link on the manager's card.
/// </summary>
/// <remarks>
/// An interpolated string given to <see cref="TextBlock"/> escapes each of its holes
/// (<see cref="CardMarkdownHandler"/>): the literal parts are the bot's own markdown, the holes are data.
/// A hole that is markdown the bot made itself is written <c>{CardText.Markdown(text)}</c>. Text built
/// any other way (a concatenation, a conditional) goes through <see cref="Escape"/> where it enters the card.
/// <see cref="TextRun"/>, input labels and values, choices and action titles are never markdown: they
/// take text as it is.
/// </remarks>
public static class CardText
{
    /// <summary>
    /// The text with every character that could start markdown formatting escaped with a backslash
    /// (CommonMark escapes, which Teams' renderers follow): emphasis, code, links and autolinks anywhere,
    /// and headings, quotes and list markers at the start of a line. Ordinary text is unchanged.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        StringBuilder? escaped = null;
        var atLineStart = true; // nothing but spaces, or digits after them, so far on this line
        var leadingDigits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // A heading or list marker counts only where it is followed by a space or the end of the line:
            // "-3" and "4.8" are not lists, "- x" and "12. x" are.
            var markerEnds = i + 1 == text.Length || text[i + 1] is ' ' or '\t' or '\n' or '\r';
            var escape = c is '\\' or '*' or '_' or '`' or '~' or '[' or ']' or '<' or '>' or '|'
                || (atLineStart && markerEnds && leadingDigits == 0 && c is '#' or '-' or '+')
                || (atLineStart && markerEnds && leadingDigits > 0 && c is '.' or ')');
            if (escape)
            {
                escaped ??= new StringBuilder(text.Length + 8).Append(text, 0, i);
                escaped.Append('\\');
            }
            escaped?.Append(c);

            if (c is '\n' or '\r')
            {
                atLineStart = true;
                leadingDigits = 0;
            }
            else if (atLineStart && char.IsAsciiDigit(c)) leadingDigits++;
            else if (!(atLineStart && leadingDigits == 0 && c is ' ' or '\t')) atLineStart = false;
        }
        return escaped?.ToString() ?? text;
    }

    /// <summary>Marks text as the bot's own markdown, written as it is in an interpolated <see cref="TextBlock"/>.</summary>
    public static BotMarkdown Markdown(string text) => new(text);
}

/// <summary>Markdown the bot wrote itself, taken as it is by <see cref="CardMarkdownHandler"/>.</summary>
public readonly record struct BotMarkdown(string Text);

/// <summary>Builds a <see cref="TextBlock"/>'s text from an interpolated string, escaping every hole (see <see cref="CardText"/>).</summary>
[InterpolatedStringHandler]
public readonly struct CardMarkdownHandler
{
    private readonly StringBuilder _text;

    public CardMarkdownHandler(int literalLength, int formattedCount) => _text = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string literal) => _text.Append(literal);

    public void AppendFormatted(BotMarkdown markdown) => _text.Append(markdown.Text);

    public void AppendFormatted<T>(T value) => AppendFormatted(value, format: null);

    public void AppendFormatted<T>(T value, string? format) =>
        _text.Append(CardText.Escape(value is IFormattable formattable ? formattable.ToString(format, null) : value?.ToString()));

    public void AppendFormatted<T>(T value, int alignment, string? format = null)
    {
        var text = CardText.Escape(value is IFormattable formattable ? formattable.ToString(format, null) : value?.ToString());
        _text.Append(alignment < 0 ? text.PadRight(-alignment) : text.PadLeft(alignment));
    }

    public override string ToString() => _text.ToString();
}
