using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Help;

/// <summary>The help card: the commands the caller may use here, most used first.</summary>
public static class HelpCard
{
    /// <param name="didYouMean">The command the unknown text was probably meant as (its word corrected), shown first.</param>
    public static AdaptiveCard Build(IEnumerable<CommandInfo> commands, string? unknownText = null, bool inChannel = false, string? didYouMean = null)
    {
        var body = new List<CardElement>
        {
            new TextBlock("Value management bot") { Size = TextSize.Large, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading },
            new TextBlock("I run your team's weekly value management rhythm: the Monday prompt for last week's figures, the box score, reminders and report-outs."),
        };

        if (!string.IsNullOrWhiteSpace(unknownText))
        {
            // Text runs are not markdown: what the user typed is shown as typed, never as links or formatting.
            body.Add(new RichTextBlock(
            [
                new TextRun("I don't know the command \""),
                new TextRun(Truncate(unknownText.Trim(), 60)) { Weight = FontWeight.Bolder },
                new TextRun(didYouMean is null ? "\". Here is what I can do:" : "\"."),
            ])
            {
                Spacing = Spacing.Medium,
            });
            if (didYouMean is not null)
            {
                body.Add(new RichTextBlock(
                [
                    new TextRun("Did you mean "),
                    new TextRun(Truncate(didYouMean, 60)) { Weight = FontWeight.Bolder },
                    new TextRun("? Here is what I can do:"),
                ]));
            }
        }

        // The fact title is the command word alone: Teams caps the title column at about 150 px, so a
        // full usage line would wrap there. The arguments follow the summary.
        body.Add(new FactSet(commands.Select(c => new Fact(c.Name, Describe(c))).ToList()) { Spacing = Spacing.Medium });
        body.Add(new TextBlock(inChannel
            ? "In a channel, @mention me first, e.g. **@Value management help**. A leading / is optional."
            : "A leading / is optional: **help** and **/help** both work.")
        {
            IsSubtle = true,
            Size = TextSize.Small,
            Spacing = Spacing.Medium,
        });

        return new AdaptiveCard
        {
            Body = body,
            FallbackText = "Value management bot: type help to see the commands.",
            Speak = "Value management bot help",
        };
    }

    private static string Describe(CommandInfo command) =>
        command.Usage == command.Name ? command.Summary : $"{command.Summary}: **{command.Usage}**";

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";
}
