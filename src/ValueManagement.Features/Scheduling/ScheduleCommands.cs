using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;
using ValueManagement.Core.Text;

namespace ValueManagement.Features.Scheduling;

/// <summary>
/// <c>schedule [team]</c>: the team's weekly times and the next run of each, in the team's local time.
/// <c>schedule &lt;team&gt; prompt|reminder|deadline|reportout &lt;day&gt; &lt;HH:mm&gt;</c>: changes one (coaches and admins).
/// </summary>
public sealed class ScheduleCommand(TeamArguments teams, TeamScheduleStore schedules, RhythmPlanner planner, RhythmStateStore state, AccessPolicy access, TimeProvider time) : IBotCommand
{
    private static readonly Dictionary<string, ScheduleSlot> Slots = new(StringComparer.OrdinalIgnoreCase)
    {
        ["prompt"] = ScheduleSlot.Prompt,
        ["reminder"] = ScheduleSlot.Reminder,
        ["deadline"] = ScheduleSlot.Deadline,
        ["reportout"] = ScheduleSlot.ReportOut,
        ["report-out"] = ScheduleSlot.ReportOut,
    };

    public CommandInfo Info { get; } = new("schedule", "schedule [team] [prompt|reminder|deadline|reportout <day> <HH:mm>]",
        "A team's weekly times and next runs; coaches and admins can change them, e.g. schedule ward 7 prompt mon 09:00") { Order = 40, Audience = CommandAudience.TeamPeople };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        // The team is what comes before the slot word; a change names a slot, and a guessed team is confirmed first.
        var slotAt = request.Words.ToList().FindIndex(Slots.ContainsKey);
        var teamText = slotAt < 0 ? request.Arguments : string.Join(' ', request.Words.Take(slotAt));
        var change = slotAt < 0 ? string.Empty : string.Join(' ', request.Words.Skip(slotAt));
        switch (await teams.ResolveAsync(turn, Info.Name, teamText, slotAt < 0 ? TeamUse.Reads : TeamUse.Changes, change, cancellationToken))
        {
            case TeamChoice.Ask ask:
                await turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            case TeamChoice.Chosen { Team: var team, Rest: var rest }:
                var answer = rest.Trim().Length == 0 ? await ShowAsync(turn.Caller, team, cancellationToken) : await ChangeAsync(turn.Caller, team, rest.Trim(), cancellationToken);
                await turn.ReplyAsync(answer, cancellationToken);
                return;
        }
    }

    private async Task<string> ShowAsync(Caller caller, TeamProfile team, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(caller, team, TeamPermission.View, cancellationToken);
        if (!check.Allowed) return check.Refusal!;
        var rhythm = RhythmRunner.Rhythm(team, schedules.Find(team.Id));
        var schedule = rhythm.Schedule;
        var next = planner.NextRuns(rhythm, time.GetUtcNow(), state);
        string Next(RhythmKind kind) => next.TryGetValue(kind, out var at) ? Local(rhythm.Clock, at) : "not in the next weeks";
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"**{team.Name}**'s weekly rhythm ({rhythm.Clock.TimeZone.Id} time):\n\n")
            .Append(CultureInfo.InvariantCulture, $"- prompt: {TeamScheduleStore.Describe(schedule.Prompt)} (next: {Next(RhythmKind.Prompt)})\n")
            .Append(CultureInfo.InvariantCulture, $"- reminder to a team that hasn't submitted: {TeamScheduleStore.Describe(schedule.Reminder)} (next: {Next(RhythmKind.Reminder)})\n")
            .Append(CultureInfo.InvariantCulture, $"- deadline, coach told, box score posted: {TeamScheduleStore.Describe(schedule.Deadline)} (next: {Next(RhythmKind.Escalation)})\n")
            .Append(CultureInfo.InvariantCulture, $"- report-out: {TeamScheduleStore.Describe(schedule.ReportOut)}, reminded {Plural.Count((long)schedule.ReportOutReminderLead.TotalMinutes, "minute")} before (next reminder: {Next(RhythmKind.ReportOut)})\n\n")
            .Append("When the prompt day is a public holiday, the prompt, reminder and deadline move to the next working day. ")
            .Append(CultureInfo.InvariantCulture, $"A coach can change a time: **schedule {team.Name} prompt mon 09:00** (or reminder, deadline, reportout).");
        return text.ToString();
    }

    private async Task<string> ChangeAsync(Caller caller, TeamProfile team, string rest, CancellationToken cancellationToken)
    {
        var words = rest.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
        if (!Slots.TryGetValue(words[0], out var slot))
            return $"I can change the **prompt**, **reminder**, **deadline** or **reportout** time, not \"{words[0]}\". For example: **schedule {team.Name} prompt mon 09:00**.";
        var check = await access.CheckAsync(caller, team, TeamPermission.Coach, cancellationToken);
        if (!check.Allowed) return check.Refusal!;
        if (words.Length < 2)
            return $"When? Give a day and a 24-hour time, for example: **schedule {team.Name} {words[0].ToLowerInvariant()} tue 10:00**.";
        if (!WeeklyTime.TryParse(words[1], out var when, out var error))
            return $"{error} Nothing was changed.";

        var (changed, problem) = TeamScheduleStore.Change(schedules.For(team.Id), slot, when);
        if (changed is null) return problem + " Nothing was changed.";
        schedules.Save(team.Id, changed, new Actor(caller.AadObjectId!, caller.Name));
        var rhythm = RhythmRunner.Rhythm(team, schedules.Find(team.Id));
        var kind = slot switch
        {
            ScheduleSlot.Prompt => RhythmKind.Prompt,
            ScheduleSlot.Reminder => RhythmKind.Reminder,
            ScheduleSlot.Deadline => RhythmKind.Escalation,
            _ => RhythmKind.ReportOut,
        };
        var next = planner.NextRuns(rhythm, time.GetUtcNow(), state).TryGetValue(kind, out var at) ? $" The next one is {Local(rhythm.Clock, at)}." : string.Empty;
        return $"Done: {team.Name}'s {words[0].ToLowerInvariant()} is now {TeamScheduleStore.Describe(when)} ({rhythm.Clock.TimeZone.Id} time), from its next occurrence.{next}";
    }

    internal static string Local(TeamClock clock, DateTimeOffset utc) =>
        clock.LocalDateTime(utc).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
}

/// <summary><c>remind &lt;team&gt;</c>: the reminder to enter last week's figures, now, in the team's channel (coaches and admins).</summary>
public sealed partial class RemindCommand(
    TeamArguments teams,
    RhythmMessages messages,
    RhythmStateStore state,
    ProactiveSender sender,
    AccessPolicy access,
    TimeProvider time,
    ILogger<RemindCommand> logger) : IBotCommand
{
    public const string Kind = "remind-now";

    public CommandInfo Info { get; } = new("remind", "remind <team>", "Remind a team now to enter last week's figures; coaches and admins") { Order = 45, Audience = CommandAudience.Coaches };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var turn = request.Turn;
        switch (await teams.ResolveAsync(turn, Info.Name, request.Arguments, TeamUse.Changes, string.Empty, cancellationToken))
        {
            case TeamChoice.Ask ask:
                await turn.ReplyAsync(Activity.Card(ask.Card.ToAttachmentContent()), cancellationToken);
                return;
            case TeamChoice.Chosen { Team: var team }:
                await turn.ReplyAsync(await RemindAsync(turn, team, cancellationToken), cancellationToken);
                return;
        }
    }

    private async Task<string> RemindAsync(TurnContext turn, TeamProfile team, CancellationToken cancellationToken)
    {
        var check = await access.CheckAsync(turn.Caller, team, TeamPermission.Coach, cancellationToken);
        if (!check.Allowed) return check.Refusal!;
        var week = CaptureService.ClockFor(team).LastCompletedWeek(time.GetUtcNow());
        if (state.HasSubmitted(team.Id, week))
            return $"{team.Name} has already entered its figures for {week}: no reminder needed.";

        // One reminder per command message: a retried delivery of the same message is not sent twice.
        var set = messages.For(RhythmKind.Reminder, team, week, messages.Snapshot(), Kind, "#" + (turn.Activity.Id ?? time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        if (set.Items.Count == 0) return $"I can't remind {team.Name}: {set.NoDestination}.";
        Task<FanOutResult> sending;
        try
        {
            sending = sender.FanOutAsync(new FanOut(Kind, week.ToString(), set.Items), CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            return "I'm shutting down and can't send reminders just now. Please try again in a minute.";
        }
        _ = ObserveAsync(team.Id, sending);
        return $"Reminding {team.Name} in its channel to enter its figures for {week}.";
    }

    private async Task ObserveAsync(string teamId, Task<FanOutResult> sending)
    {
        try
        {
            var result = await sending.ConfigureAwait(false);
            if (result.Failed + result.Unreachable > 0) LogNotSent(logger, teamId, result.Failures.FirstOrDefault()?.Reason);
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            LogNotSent(logger, teamId, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A reminder asked for with 'remind' was not sent to team {TeamId}: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string teamId, string? reason);
}

/// <summary><c>missing [week]</c>: the caller's teams (as coach or admin) that have not entered their figures for last week.</summary>
public sealed class MissingCommand(AccessPolicy access, RhythmStateStore state, TimeProvider time) : IBotCommand
{
    public CommandInfo Info { get; } = new("missing", "missing [week]", "Which of your teams have not entered last week's figures; coaches and admins") { Order = 46, Audience = CommandAudience.Coaches };

    public async Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken) =>
        await request.Turn.ReplyAsync(await AnswerAsync(request.Turn.Caller, request.Arguments.Trim(), cancellationToken), cancellationToken);

    private async Task<string> AnswerAsync(Caller caller, string argument, CancellationToken cancellationToken)
    {
        IsoWeek? named = null;
        if (argument.Length > 0)
        {
            if (!IsoWeek.TryParse(argument, out var week, out var error))
                return $"{error} For example: **missing 2026-W48**, or just **missing** for last week.";
            named = week;
        }

        var coached = new List<TeamProfile>();
        foreach (var team in await access.TeamsOfAsync(caller, cancellationToken))
            if ((await access.CheckAsync(caller, team, TeamPermission.Coach, cancellationToken)).Allowed) coached.Add(team);
        if (coached.Count == 0)
            return "Only improvement coaches and admins can use **missing**, and you aren't a coach of any team. Type **roles** to see who is.";

        var now = time.GetUtcNow();
        var late = coached
            .Select(t => (Team: t, Week: named ?? CaptureService.ClockFor(t).LastCompletedWeek(now)))
            .Where(x => !state.HasSubmitted(x.Team.Id, x.Week))
            .ToList();
        var which = named?.ToString() ?? "last week";
        if (late.Count == 0)
            return coached.Count == 1 ? $"Your team has entered its figures for {which}." : $"All {coached.Count} of your teams have entered their figures for {which}.";
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{late.Count} of your {Plural.Count(coached.Count, "team")} {Plural.Has(late.Count)} not entered {(late.Count == 1 ? "its" : "their")} figures for {which}:\n\n");
        foreach (var (team, week) in late.Take(50))
            text.Append(CultureInfo.InvariantCulture, $"- {team.Name} ({week})\n");
        if (late.Count > 50) text.Append(CultureInfo.InvariantCulture, $"- … and {late.Count - 50} more\n");
        text.Append("\nType **remind <team>** to remind one now.");
        return text.ToString();
    }
}

/// <summary><c>status</c> (admins): the last fan-outs (sent, throttled and retried, failed and why, in flight at a crash) and the rhythm tick.</summary>
public sealed class StatusCommand(AccessPolicy access, DeliveryLedger ledger, ProactiveSender sender, RhythmRunner runner, RhythmStateStore state) : IBotCommand
{
    public CommandInfo Info { get; } = new("status", "status", "Delivery status of the last weekly sends and the scheduler; admins") { Order = 95, Audience = CommandAudience.Admins };

    public Task ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var check = access.CheckAdmin(request.Turn.Caller);
        return request.Turn.ReplyAsync(check.Allowed ? Report() : check.Refusal!, cancellationToken);
    }

    private string Report()
    {
        var text = new StringBuilder();
        var last = runner.LastTickAt is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "not since the bot started";
        text.Append(CultureInfo.InvariantCulture, $"**Scheduler**: last rhythm tick {last}; {Plural.Count(state.Count(), "occurrence")} on record. Queue: {sender.Queued} waiting, {sender.InFlight} being sent.\n\n");
        var fanOuts = ledger.RecentFanOuts(10);
        if (fanOuts.Count == 0)
        {
            text.Append("No weekly sends yet.");
            return text.ToString();
        }
        text.Append("**Last sends** (newest first):\n\n");
        foreach (var f in fanOuts)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"- {f.Kind} {f.Week}: {f.Sent} of {f.Total} sent, {f.Pending} waiting, {f.Failed} failed, {f.Unreachable} unreachable; {f.ThrottledAndRetried} throttled and retried ({f.Throttles} × 429), {f.Retried} retried");
            if (f.InFlight > 0 || f.InFlightAtCrash > 0 || f.PossiblyDuplicated > 0)
                text.Append(CultureInfo.InvariantCulture, $"; **{f.InFlightAtCrash} in flight at a crash, {f.PossiblyDuplicated} may show twice**, {f.InFlight} in flight now");
            text.Append('\n');
            foreach (var reason in f.FailureReasons.Take(3))
                text.Append(CultureInfo.InvariantCulture, $"  - {reason.Count} × {reason.State} ({reason.Status?.ToString(CultureInfo.InvariantCulture) ?? "no answer"} {reason.ErrorCode}): {reason.Example}\n");
        }
        return text.ToString();
    }
}
