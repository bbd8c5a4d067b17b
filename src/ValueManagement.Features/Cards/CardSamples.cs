using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Cards;

/// <summary>Sample inputs for the <see cref="CardGallery"/>: realistic, and as large as real use gets.</summary>
public static class CardSamples
{
    /// <summary>
    /// The full command menu as the app manifest lists it, so the help card is checked at its largest.
    /// The commands other than help are still being built; once they exist, this can become the
    /// bot's own command table.
    /// </summary>
    public static IReadOnlyList<CommandInfo> Commands { get; } =
    [
        new("help", "help", "Show what I can do and how to ask") { Order = 0, Aliases = ["?"] },
        new("submit", "submit [team]", "Enter last week's figures for your team") { Order = 10 },
        new("boxscore", "boxscore [team] [week]", "Show a team's box score: quality, cost and workforce against target") { Order = 20 },
        new("report", "report <team>", "The report-out summary: box score, signals and tests of change") { Order = 30 },
        new("missing", "missing", "Which of your teams have not submitted last week's figures") { Order = 40 },
        new("remind", "remind <team>", "Remind a team that its figures are due") { Order = 50 },
        new("schedule", "schedule <team>", "Show or change a team's prompt, deadline and report-out times") { Order = 60 },
        new("teams", "teams", "List the teams, their channels and coaches") { Order = 70 },
        new("pdsa", "pdsa <team>", "A team's tests of change (PDSA cycles)") { Order = 80 },
        new("rollup", "rollup [service]", "Box scores rolled up for a service or the board") { Order = 90 },
    ];
}
