using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Cards;

/// <summary>Hand-made card inputs for unit tests and benchmarks. The card gallery does not use them: it asks the bot itself, over the demo data.</summary>
public static class CardSamples
{
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
}
