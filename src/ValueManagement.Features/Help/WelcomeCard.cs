using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.Help;

/// <summary>Posted once when the bot is installed in a team, a group chat or a personal chat.</summary>
public static class WelcomeCard
{
    public static AdaptiveCard Build(bool inTeam) => new()
    {
        Body =
        [
            new TextBlock("Hello from the value management bot") { Size = TextSize.Large, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading },
            new TextBlock(inTeam
                ? "Each week I'll ask this team for last week's quality, cost and workforce figures, post the box score here, and remind you before the report-out."
                : "I'll send you your team's weekly prompt here and answer your questions about the box score."),
            new TextBlock(inTeam
                ? "Before the first weekly prompt, an admin links this channel to its ward or team. To see the commands, type **@Value management help**."
                : "Type **help** to see what I can do.")
            {
                Spacing = Spacing.Medium,
            },
        ],
        Actions = [CardActions.Execute("Show commands", WelcomeActions.ShowHelpVerb)],
        FallbackText = "Hello from the value management bot. Type help to see what I can do.",
    };
}

public static class WelcomeActions
{
    public const string ShowHelpVerb = "showHelp";
}
