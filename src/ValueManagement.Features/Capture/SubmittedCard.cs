using System.Globalization;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.Capture;

/// <summary>
/// The read-only summary that replaces a submitted prompt (in every posted copy): who submitted
/// when, the figures, and what someone else changed in between if they did.
/// </summary>
public static class SubmittedCard
{
    public static AdaptiveCard Build(
        TeamProfile team, MeasureSet measures, WeeklySubmission submission, TeamClock clock,
        IReadOnlyList<ConcurrentChange>? changedByOthers = null, ConcurrentCommentChange? commentChangedByOther = null)
    {
        var latest = submission.Latest ?? throw new InvalidOperationException("Nothing was submitted for this week.");
        var local = clock.LocalDateTime(latest.At);
        var values = measures.Compute(submission.Current);
        var completeness = WeekCompleteness.Assess(measures, submission.Current);

        var body = new List<CardElement>
        {
            new TextBlock($"✔ {team.Name}: week {submission.Week} submitted") { Size = TextSize.Large, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading },
            new TextBlock($"Week {submission.Week} submitted by {latest.By.Name} at {local.ToString("HH:mm", CultureInfo.InvariantCulture)} on {local.ToString("ddd d MMM", CultureInfo.InvariantCulture)} (revision {latest.Number}).")
            {
                Spacing = Spacing.Small,
            },
        };

        var others = changedByOthers ?? [];
        if (others.Count > 0 || commentChangedByOther is not null)
        {
            var lines = others.Select(c => $"{measures.Find(c.Key)?.Name ?? c.Key}: {c.ChangedBy.Name} changed it {Format(measures, c.Key, c.Old)} → {Format(measures, c.Key, c.New)}"
                + (c.OverwrittenByYou ? "; your figure replaced theirs" : string.Empty)).ToList();
            if (commentChangedByOther is { } comment)
            {
                lines.Add($"Comment: {comment.ChangedBy.Name} changed it at {clock.LocalDateTime(comment.ChangedAt).ToString("HH:mm", CultureInfo.InvariantCulture)}"
                    + (comment.OverwrittenByYou ? "; your comment replaced theirs" : string.Empty));
            }
            body.Add(new Container(
            [
                new TextBlock("⚠ While you were editing, someone else changed this week's figures or comment:") { Weight = FontWeight.Bolder },
                new TextBlock("- " + string.Join("\n- ", lines.Select(CardText.Escape))) { Spacing = Spacing.Small },
            ])
            {
                Style = ContainerStyle.Warning,
                Spacing = Spacing.Medium,
            });
        }

        foreach (var category in measures.Measures.GroupBy(m => m.Category).OrderBy(g => g.Key))
        {
            body.Add(new TextBlock(category.Key.DisplayName()) { Weight = FontWeight.Bolder, Spacing = Spacing.Medium });
            body.Add(new FactSet(category.Select(m => new Fact(CardText.Escape(m.Name), Shown(m, values))).ToList()) { Spacing = Spacing.Small });
        }

        if (!string.IsNullOrWhiteSpace(submission.CurrentComment))
            body.Add(new TextBlock($"Comment: {submission.CurrentComment}") { Spacing = Spacing.Medium, IsSubtle = true });

        if (!completeness.IsComplete)
        {
            body.Add(new TextBlock($"Still missing: {string.Join(", ", completeness.MissingRequired.Select(m => m.Name))}")
            {
                Weight = FontWeight.Bolder,
                Spacing = Spacing.Medium,
            });
        }

        var data = new Dictionary<string, object?> { [CaptureVerbs.TeamIdKey] = team.Id, [CaptureVerbs.WeekKey] = submission.Week.ToString() };
        return new AdaptiveCard
        {
            Body = body,
            Actions =
            [
                CardActions.Execute("View box score", BoxScoreVerbs.ShowBoxScore, data),
                CardActions.Execute("Change figures", CaptureVerbs.EditWeek, data),
            ],
            FallbackText = $"Week {submission.Week} submitted by {latest.By.Name} at {local.ToString("HH:mm", CultureInfo.InvariantCulture)}.",
        };
    }

    private static string Shown(MeasureDefinition measure, IReadOnlyDictionary<string, double?> values)
    {
        var value = values.GetValueOrDefault(measure.Key);
        if (value is null && measure.IsImported) return "awaiting finance data";
        if (value is null && measure.IsEntered) return "not recorded";
        return MeasureFormat.Format(measure, value);
    }

    private static string Format(MeasureSet measures, string key, double? value) =>
        measures.Find(key) is { } measure ? MeasureFormat.Format(measure, value) : value?.ToString(CultureInfo.InvariantCulture) ?? MeasureFormat.Missing;
}
