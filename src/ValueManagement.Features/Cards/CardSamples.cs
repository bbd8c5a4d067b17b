using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
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

    public static TeamProfile Ward7 { get; } = new()
    {
        Id = "respiratory", Name = "Inpatient respiratory (Ward 7)", Aliases = ["ward 7", "respiratory"], ServiceId = "medicine", MeasureSetId = "acute-ward",
    };

    public static IsoWeek Week { get; } = new(2026, 48);

    private static readonly DateTimeOffset SubmittedAt = new(2026, 11, 30, 9, 14, 0, TimeSpan.Zero);

    public static IReadOnlyDictionary<string, double?> LastWeek { get; } = new Dictionary<string, double?>
    {
        ["falls"] = 2, ["fallsWithHarm"] = 0, ["pressureUlcers"] = 1, ["medicationIncidents"] = 1, ["complaints"] = 0,
        ["sicknessAbsence"] = 4.6, ["bankHours"] = 142.5, ["agencyHours"] = 0, ["vacanciesWte"] = 2.4,
        ["patientsAdmitted"] = 31, ["occupiedBedDays"] = 192, ["dischargesBeforeNoon"] = 28, ["payCost"] = 11890, ["nonPayCost"] = 1820,
    };

    public static WeeklySubmission Submitted()
    {
        var submission = new WeeklySubmission(Ward7.Id, Week);
        submission.Apply(new SubmissionProposal(new Dictionary<string, double?> { ["payCost"] = 12104.5, ["nonPayCost"] = 1749.2 },
            null, new Submitter("import:costs.csv", "Finance import (costs.csv)"), 0), SubmittedAt.AddHours(-2));
        submission.Apply(new SubmissionProposal(
            LastWeek.Where(v => v.Key is not ("payCost" or "nonPayCost")).ToDictionary(v => v.Key, v => v.Value is { } x ? x + 1 : (double?)null),
            "Two new starters on nights.", new Submitter("11111111-1111-1111-1111-111111111111", "Sister Jones"), 1), SubmittedAt);
        return submission;
    }

    public static PromptCardModel Prompt(bool amend = false) =>
        new(Ward7, DefaultMeasureSets.AcuteWard, Week, amend ? Submitted() : new WeeklySubmission(Ward7.Id, Week), LastWeek, _ => true);

    public static PromptCardModel PromptWithErrors() => Prompt() with
    {
        Typed = new Dictionary<string, string?> { ["falls"] = "2.5", ["bankHours"] = "1,234", ["comment"] = "Bed 4 patient CHI 0101010000" },
        Errors =
        [
            new FieldError("falls", "Falls must be a whole number between 0 and 50."),
            new FieldError("bankHours", "Bank hours: write the number without commas, for example 1234 or 12.5 (not 1,234 or 12,5)."),
            new FieldError("sicknessAbsence", "Sickness absence is required: enter a number between 0% and 100%."),
            new FieldError(PromptCard.CommentKey, "The comment looks like it contains a CHI number (at character 20). Remove patient identifiers: only aggregate figures belong here."),
        ],
    };

    public static IReadOnlyList<ConcurrentChange> ConcurrentChanges { get; } =
    [
        new("falls", 3, 4, new Submitter("22222222-2222-2222-2222-222222222222", "Ravi Patel"), SubmittedAt.AddMinutes(-2), true),
        new("bankHours", 143.5, 150, new Submitter("22222222-2222-2222-2222-222222222222", "Ravi Patel"), SubmittedAt.AddMinutes(-2), false),
    ];
}
