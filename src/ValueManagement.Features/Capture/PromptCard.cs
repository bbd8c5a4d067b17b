using System.Globalization;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.Capture;

/// <summary>What the weekly form shows: the team's measures for one week, with what is already known.</summary>
public sealed record PromptCardModel(
    TeamProfile Team,
    MeasureSet Measures,
    IsoWeek Week,
    WeeklySubmission Submission,
    IReadOnlyDictionary<string, double?> LastWeek,
    Func<MeasureDefinition, bool> IsDue)
{
    /// <summary>What the person typed, kept when the form comes back with errors.</summary>
    public IReadOnlyDictionary<string, string?>? Typed { get; init; }
    public IReadOnlyList<FieldError> Errors { get; init; } = [];
    public string? Notice { get; init; }
}

/// <summary>
/// The weekly prompt: one number field per entered measure that is due, grouped by category, with
/// last week's value beside each label; imported and derived measures shown, not asked; an
/// optional comment. Submitting sends <c>submitWeek</c> with the team, week and the revision the
/// form was built from.
/// </summary>
public static class PromptCard
{
    public const string CommentKey = "comment";
    public const int CommentMaxLength = 1000;

    public static AdaptiveCard Build(PromptCardModel model)
    {
        var current = model.Submission.Current;
        var computed = model.Measures.Compute(current);
        var errors = model.Errors.ToLookup(e => e.Key);
        var body = new List<CardElement>
        {
            new TextBlock($"{model.Team.Name}: figures for {model.Week}") { Size = TextSize.Large, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading },
            new TextBlock($"Week {model.Week}, Monday {DayMonth(model.Week.Monday)} to Sunday {DayMonth(model.Week.Sunday)}. About a minute: fill in what you have; a blank optional figure counts as \"not recorded\", never 0.")
            {
                IsSubtle = true,
                Spacing = Spacing.Small,
            },
        };

        if (model.Submission.Latest is { } latest)
        {
            body.Add(new TextBlock($"Already submitted by {latest.By.Name} ({model.Submission.LatestRevisionNumber} revision{(model.Submission.LatestRevisionNumber == 1 ? "" : "s")}). Change any figure and submit again: every version is kept.")
            {
                Color = TextColor.Accent,
                Spacing = Spacing.Small,
            });
        }

        if (model.Notice is not null)
            body.Add(new TextBlock(model.Notice) { Weight = FontWeight.Bolder });

        if (model.Errors.Count > 0)
        {
            body.Add(new TextBlock($"⚠ {model.Errors.Count} figure{(model.Errors.Count == 1 ? " needs" : "s need")} another look: see the notes under the fields. Nothing was saved yet.")
            {
                Weight = FontWeight.Bolder,
            });
        }

        foreach (var category in model.Measures.Measures.GroupBy(m => m.Category).OrderBy(g => g.Key))
        {
            var items = new List<CardElement>
            {
                new TextBlock(category.Key.DisplayName()) { Weight = FontWeight.Bolder, Size = TextSize.Medium },
            };

            foreach (var measure in category.Where(m => m.IsEntered && model.IsDue(m)))
            {
                items.Add(Field(measure, model, current));
                foreach (var error in errors[measure.Key])
                    items.Add(new TextBlock($"⚠ {error.Message}") { Size = TextSize.Small, Spacing = Spacing.None });
            }

            var shown = category.Where(m => !m.IsEntered).Select(m => new Fact(CardText.Escape(m.Name), Shown(m, computed))).ToList();
            if (shown.Count > 0)
                items.Add(new FactSet(shown) { Spacing = Spacing.Small });

            body.Add(new Container(items) { Spacing = Spacing.Medium, Separator = true });
        }

        body.Add(new TextInput
        {
            Id = CommentKey,
            Label = "Comment (optional). Aggregate figures only: no patient names or CHI numbers.",
            IsMultiline = true,
            MaxLength = CommentMaxLength,
            Value = model.Typed?.GetValueOrDefault(CommentKey) ?? model.Submission.CurrentComment,
            Spacing = Spacing.Medium,
        });
        foreach (var error in errors[CommentKey])
            body.Add(new TextBlock($"⚠ {error.Message}") { Size = TextSize.Small, Spacing = Spacing.None });

        var data = new Dictionary<string, object?>
        {
            [CaptureVerbs.TeamIdKey] = model.Team.Id,
            [CaptureVerbs.WeekKey] = model.Week.ToString(),
            [CaptureVerbs.RevisionKey] = model.Submission.LatestRevisionNumber,
        };
        body.Add(new ActionSet([CardActions.Execute(model.Submission.Latest is null ? "Submit figures" : "Submit changes", CaptureVerbs.SubmitWeek, data, ActionStyle.Positive)]));

        return new AdaptiveCard
        {
            Body = body,
            FallbackText = $"{model.Team.Name}: please enter last week's figures ({model.Week}).",
            Speak = $"{model.Team.Name}, figures for week {model.Week}",
        };
    }

    private static CardInput Field(MeasureDefinition measure, PromptCardModel model, IReadOnlyDictionary<string, double?> current)
    {
        double? value = current.GetValueOrDefault(measure.Key) is { } stored ? MeasureFormat.RoundForDisplay(measure, stored) : null;
        string? typedText = null;
        if (model.Typed is not null && model.Typed.TryGetValue(measure.Key, out var typed))
        {
            // Give back exactly what was typed: a rejected 2.5 stays 2.5 in the number field; what a number field
            // cannot hold (1,000, 4.8%, 1e309) stays as typed in a text field, beside the note that says why.
            value = double.TryParse(typed, PlainNumber, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed) ? parsed : null;
            if (value is null && !string.IsNullOrWhiteSpace(typed)) typedText = typed.Length > MaxTypedLength ? typed[..MaxTypedLength] : typed;
        }

        var lastWeek = model.LastWeek.GetValueOrDefault(measure.Key);
        var unit = measure.Unit switch
        {
            MeasureUnit.Pounds => "£",
            MeasureUnit.Percent => "%",
            _ => MeasureFormat.UnitLabel(measure.Unit),
        };
        var label = unit.Length == 0 || measure.Name.Contains($"({unit})", StringComparison.OrdinalIgnoreCase) ? measure.Name : $"{measure.Name} ({unit})";
        if (lastWeek is not null) label += $" · last week {MeasureFormat.Format(measure, lastWeek)}";
        if (measure.IsSampled) label += " · sampled";

        if (typedText is not null)
        {
            return new TextInput
            {
                Id = measure.Key,
                Label = label,
                Value = typedText,
                MaxLength = MaxTypedLength,
                Placeholder = measure.IsRequired ? "required" : "optional",
                IsRequired = measure.IsRequired ? true : null,
                ErrorMessage = SubmissionParser.ExpectedValueMessage(measure),
                Spacing = Spacing.Small,
            };
        }

        return new NumberInput
        {
            Id = measure.Key,
            Label = label,
            Min = measure.Min,
            Max = measure.Max,
            Value = value,
            Placeholder = measure.IsRequired ? "required" : "optional",
            IsRequired = measure.IsRequired ? true : null,
            ErrorMessage = SubmissionParser.ExpectedValueMessage(measure),
            Spacing = Spacing.Small,
        };
    }

    private const NumberStyles PlainNumber = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>A refused figure is given back as typed up to this length (a figure is never longer; a pasted essay is cut).</summary>
    private const int MaxTypedLength = 40;

    private static string Shown(MeasureDefinition measure, IReadOnlyDictionary<string, double?> computed)
    {
        var value = computed.GetValueOrDefault(measure.Key);
        if (measure.IsImported)
            return value is null ? "awaiting finance data" : MeasureFormat.Format(measure, value) + " (from finance)";
        return MeasureFormat.Format(measure, value) + " (worked out)";
    }

    private static string DayMonth(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}

/// <summary>The capture feature's card verbs and data keys.</summary>
public static class CaptureVerbs
{
    public const string SubmitWeek = "submitWeek";
    public const string EditWeek = "editWeek";
    public const string TeamIdKey = "teamId";
    public const string WeekKey = "week";
    public const string RevisionKey = "revision";
}
