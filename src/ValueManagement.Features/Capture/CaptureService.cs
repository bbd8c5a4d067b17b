using System.Text.Json;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.PatientData;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Capture;

/// <summary>The outcome of a submit: what the card becomes (or a message, leaving the form as it is), and what was stored.</summary>
public sealed record SubmitOutcome(CardActionResult Result, SubmissionResult? Stored);

/// <summary>
/// Builds the weekly form and takes what comes back from it: who may submit, which week is open,
/// number parsing and range checks, the patient-data guard on the comment, and storage with a
/// revision and an audit entry before the answer goes out.
/// </summary>
public sealed class CaptureService(
    TeamDirectory directory,
    MeasureSetStore measureSets,
    SubmissionStore submissions,
    AccessPolicy access,
    TimeProvider time)
{
    public MeasureSet MeasureSetFor(TeamProfile team) =>
        measureSets.Find(team.MeasureSetId) ?? throw new InvalidOperationException($"Team {team.Id} uses measure set '{team.MeasureSetId}', which does not exist.");

    public static TeamClock ClockFor(TeamProfile team) => TeamClock.FromTimeZoneId(team.TimeZoneId);

    /// <summary>The week the Monday prompt asks for: the one just ended, in the team's time zone.</summary>
    public IsoWeek DefaultWeek(TeamProfile team) => ClockFor(team).LastCompletedWeek(time.GetUtcNow());

    public PromptCardModel PromptModel(TeamProfile team, IsoWeek week)
    {
        var set = MeasureSetFor(team);
        var history = submissions.History(team.Id, week.AddWeeks(-60), week.Previous());
        var lastWeek = history.LastOrDefault(h => h.Week == week.Previous())?.Current ?? new Dictionary<string, double?>();
        var lastSampled = set.Measures.Where(m => m.IsSampled).ToDictionary(
            m => m.Key,
            m => history.LastOrDefault(h => h.Current.GetValueOrDefault(m.Key) is not null)?.Week);
        return new PromptCardModel(team, set, week, submissions.Load(team.Id, week), lastWeek,
            m => !m.IsSampled || m.IsDueIn(week, lastSampled.GetValueOrDefault(m.Key)));
    }

    /// <summary>Checks that the caller may enter figures for this team and week; null when they may.</summary>
    public async Task<string?> RefusalAsync(Caller caller, TeamProfile team, IsoWeek week, CancellationToken cancellationToken)
    {
        var submit = await access.CheckAsync(caller, team, TeamPermission.Submit, cancellationToken);
        if (!submit.Allowed) return submit.Refusal;
        var policy = new LateEntryPolicy(team.LateEntryWeeks);
        var clock = ClockFor(team);
        var now = time.GetUtcNow();
        // Most weeks are open to every member: only a refused week needs the second (coach or admin) check.
        var refusal = policy.Check(week, clock, now, callerIsCoachOrAdmin: false);
        return refusal is not null && (await access.CheckAsync(caller, team, TeamPermission.SubmitLate, cancellationToken)).Allowed
            ? policy.Check(week, clock, now, callerIsCoachOrAdmin: true)
            : refusal;
    }

    public async Task<SubmitOutcome> SubmitAsync(Caller caller, JsonElement data, string source, CancellationToken cancellationToken)
    {
        var teamId = CardData.String(data, CaptureVerbs.TeamIdKey);
        var weekText = CardData.String(data, CaptureVerbs.WeekKey);
        if (teamId is null || directory.FindTeam(teamId) is not { } team || !IsoWeek.TryParse(weekText, out var week))
            return new SubmitOutcome(CardActionResult.Say("This form doesn't belong to a team I know. Type **submit** for a fresh one."), null);

        if (await RefusalAsync(caller, team, week, cancellationToken) is { } refusal)
            return new SubmitOutcome(CardActionResult.Say(refusal), null);

        var model = PromptModel(team, week);
        if (BasedOnRevision(data, model.Submission) is not { } basedOn)
        {
            return new SubmitOutcome(CardActionResult.Say(
                $"This form names a revision of {week} that was never stored ({model.Submission.LatestRevisionNumber} stored so far), so nothing was saved. Type **submit** for a fresh form."), null);
        }

        var typed = ReadInputs(data, model.Measures);
        var parsed = SubmissionParser.Parse(model.Measures, typed, model.IsDue);
        var comment = typed.GetValueOrDefault(PromptCard.CommentKey)?.Trim();
        var errors = parsed.Errors.ToList();
        if (comment is { Length: > PromptCard.CommentMaxLength })
            errors.Add(new FieldError(PromptCard.CommentKey, $"The comment is {comment.Length} characters; please keep it under {PromptCard.CommentMaxLength}."));
        if (data.TryGetProperty(PromptCard.CommentKey, out var commentValue) && commentValue.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            errors.Add(new FieldError(PromptCard.CommentKey, "The comment must be plain text."));
        else if (PatientDataGuard.Check(comment) is { } patientData)
            errors.Add(new FieldError(PromptCard.CommentKey, patientData));

        if (errors.Count > 0)
            return new SubmitOutcome(CardActionResult.Replace(PromptCard.Build(model with { Typed = typed, Errors = errors })), null);

        var by = new Submitter(caller.AadObjectId!, caller.Name);
        var result = submissions.Submit(team.Id, week, new SubmissionProposal(parsed.Values, string.IsNullOrEmpty(comment) ? null : comment, by, basedOn), source);
        var stored = submissions.Load(team.Id, week);
        return new SubmitOutcome(CardActionResult.Replace(SubmittedCard.Build(team, model.Measures, stored, ClockFor(team), result.ChangedByOthers, result.CommentChangedByOther)), result);
    }

    /// <summary>
    /// The revision the form was built from, 0 up to the latest stored; a form without a readable one is
    /// read as built on the latest. Null when it names a revision that does not exist (a damaged or forged form).
    /// </summary>
    private static int? BasedOnRevision(JsonElement data, WeeklySubmission stored) =>
        CardData.Int(data, CaptureVerbs.RevisionKey) switch
        {
            null => stored.LatestRevisionNumber,
            var revision and >= 0 when revision <= stored.LatestRevisionNumber => revision,
            _ => null,
        };

    /// <summary>Reads the form's inputs. Teams sends numbers as strings; unknown keys are ignored.</summary>
    private static Dictionary<string, string?> ReadInputs(JsonElement data, MeasureSet set)
    {
        var typed = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (data.ValueKind != JsonValueKind.Object) return typed;
        foreach (var key in set.Measures.Select(m => m.Key).Append(PromptCard.CommentKey))
        {
            if (!data.TryGetProperty(key, out var value)) continue;
            typed[key] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                JsonValueKind.Null => null,
                _ => value.GetRawText(),
            };
        }
        return typed;
    }


}
