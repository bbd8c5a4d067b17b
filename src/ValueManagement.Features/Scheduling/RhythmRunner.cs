using Microsoft.Extensions.Logging;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Scheduling;

/// <summary>One occurrence the tick dealt with, and how it ended (null: not finished, the next tick tries again).</summary>
public sealed record RhythmOccurrenceResult(DueWork Work, RhythmOutcome? Outcome, int Messages, string? Detail);

/// <summary>What one tick did.</summary>
public sealed record RhythmTickResult(DateTimeOffset At, IReadOnlyList<RhythmOccurrenceResult> Occurrences, IReadOnlyList<FanOutResult> FanOuts)
{
    public int Finished => Occurrences.Count(o => o.Outcome is RhythmOutcome.Sent or RhythmOutcome.Unreachable);
    public int Unfinished => Occurrences.Count(o => o.Outcome is null);
    public int NoDestination => Occurrences.Count(o => o.Outcome is RhythmOutcome.NoDestination);

    /// <summary>Teams whose posted box score was updated in place to a later submission.</summary>
    public int BoxScoresUpdated { get; init; }
}

/// <summary>
/// The rhythm tick: asks the planner what is due now and runs it. Occurrences due together are sent
/// as one fan-out per kind and week (the Monday prompt to every team at once, through the paced
/// queue). An occurrence is recorded as done only when each of its messages is sent or its conversation
/// is gone; a failed message leaves it due, so the next tick sends what is missing and the ledger skips
/// what went. A team with nowhere to send (no channel linked yet) stays due within the catch-up window, though a channel linked after the occurrence was due is not sent it (<see cref="RhythmMessages.For"/>). Ticks never overlap in this process; across instances a tick's lock holds for 30 s (see <see cref="RhythmTickJob"/>), and overlapping ticks send each message once.
/// </summary>
public sealed partial class RhythmRunner(
    TeamDirectory directory,
    TeamScheduleStore schedules,
    RhythmStateStore state,
    RhythmPlanner planner,
    RhythmMessages messages,
    ProactiveSender sender,
    DeliveryLedger ledger,
    RollupPoster rollups,
    TimeProvider time,
    ILogger<RhythmRunner> logger)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    /// <summary>When the last tick finished, for <c>status</c>.</summary>
    public DateTimeOffset? LastTickAt { get; private set; }

    public RhythmTickResult? LastTick { get; private set; }

    public IReadOnlyList<TeamRhythm> Teams()
    {
        var stored = schedules.All();
        return directory.AllTeams().Select(t => Rhythm(t, stored.GetValueOrDefault(t.Id))).ToList();
    }

    public static TeamRhythm Rhythm(TeamProfile team, StoredTeamSchedule? schedule) =>
        TeamScheduleStore.Rhythm(team.Id, TeamClock.FromTimeZoneId(team.TimeZoneId), schedule);

    public async Task<RhythmTickResult> TickAsync(CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            var teams = directory.AllTeams().ToDictionary(t => t.Id, StringComparer.Ordinal);
            var stored = schedules.All();
            var due = planner.Due(teams.Values.Select(t => Rhythm(t, stored.GetValueOrDefault(t.Id))), now, state);
            var results = new List<RhythmOccurrenceResult>();
            var fanOuts = new List<FanOutResult>();
            if (due.Count > 0)
            {
                var reach = messages.Snapshot();
                foreach (var group in due.GroupBy(d => (d.Kind, d.Week)).OrderBy(g => g.Key.Week).ThenBy(g => g.Key.Kind))
                {
                    var (outcomes, fanOut) = await RunAsync(group.Key.Kind, group.Key.Week, group.ToList(), teams, reach, cancellationToken).ConfigureAwait(false);
                    results.AddRange(outcomes);
                    if (fanOut is not null) fanOuts.Add(fanOut);
                }
            }
            var updated = await RefreshBoxScoresAsync(teams.Values, now, cancellationToken).ConfigureAwait(false);
            if (await rollups.PostDueAsync(cancellationToken).ConfigureAwait(false) is { } rollup) fanOuts.Add(rollup);
            var result = new RhythmTickResult(now, results, fanOuts) { BoxScoresUpdated = updated };
            LastTickAt = time.GetUtcNow();
            LastTick = result;
            if (result.Finished + result.Unfinished > 0) LogTick(logger, results.Count, result.Finished, result.Unfinished, result.NoDestination);
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<(List<RhythmOccurrenceResult>, FanOutResult?)> RunAsync(
        RhythmKind kind, IsoWeek week, IReadOnlyList<DueWork> work, IReadOnlyDictionary<string, TeamProfile> teams,
        RhythmMessages.Reach reach, CancellationToken cancellationToken)
    {
        var results = new List<RhythmOccurrenceResult>();
        var items = new List<DeliveryItem>();
        var itemsByTeam = new Dictionary<string, IReadOnlyList<DeliveryItem>>(StringComparer.Ordinal);
        foreach (var occurrence in work)
        {
            var set = messages.For(kind, teams[occurrence.TeamId], week, reach, dueAt: occurrence.DueAtUtc);
            if (set.Items.Count == 0)
            {
                // Not recorded: it stays due within the catch-up window (a channel moved or installed again still gets it).
                results.Add(new RhythmOccurrenceResult(occurrence, RhythmOutcome.NoDestination, 0, set.NoDestination));
                continue;
            }
            itemsByTeam[occurrence.TeamId] = set.Items;
            items.AddRange(set.Items);
        }
        if (items.Count == 0) return (results, null);
        // Read before sending: a submission that lands while the cards go out is then still updated in.
        var revisions = kind == RhythmKind.BoxScore
            ? itemsByTeam.Keys.ToDictionary(t => t, t => state.LatestRevision(t, week), StringComparer.Ordinal)
            : [];

        var fanOut = await sender.FanOutAsync(new FanOut(kind.KeyName(), week.ToString(), items), cancellationToken).ConfigureAwait(false);
        foreach (var occurrence in work.Where(o => itemsByTeam.ContainsKey(o.TeamId)))
        {
            var entries = itemsByTeam[occurrence.TeamId].Select(i => ledger.Find(i.Key)).ToList();
            var sent = entries.Count(e => e?.State == DeliveryState.Sent);
            var unreachable = entries.Count(e => e?.State == DeliveryState.Unreachable);
            if (sent + unreachable < entries.Count)
            {
                var reason = entries.FirstOrDefault(e => e is not null && e.State is not (DeliveryState.Sent or DeliveryState.Unreachable))?.Reason;
                results.Add(new RhythmOccurrenceResult(occurrence, null, sent, reason ?? "not all messages were sent"));
                continue;
            }
            var outcome = sent > 0 ? RhythmOutcome.Sent : RhythmOutcome.Unreachable;
            var detail = unreachable > 0 ? entries.First(e => e!.State == DeliveryState.Unreachable)!.Reason : null;
            Finish(occurrence, outcome, sent, detail, revisions.GetValueOrDefault(occurrence.TeamId));
            results.Add(new RhythmOccurrenceResult(occurrence, outcome, sent, detail));
        }
        return (results, fanOut);
    }

    /// <summary>
    /// A box score posted before the figures were in (at the deadline), or before they were amended,
    /// is updated in place, for the week the current cycle reports on.
    /// </summary>
    private async Task<int> RefreshBoxScoresAsync(IEnumerable<TeamProfile> teams, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = 0;
        foreach (var team in teams)
        {
            var week = TeamClock.FromTimeZoneId(team.TimeZoneId).LastCompletedWeek(now);
            if (state.Find(RhythmKind.BoxScore, team.Id, week) is not { Outcome: RhythmOutcome.Sent } run) continue;
            var revision = state.LatestRevision(team.Id, week);
            if (revision <= run.Revision) continue;

            var copies = ledger.Team(team.Id, RhythmKind.BoxScore.KeyName(), week.ToString()).Entries;
            var set = messages.For(RhythmKind.BoxScore, team, week, messages.Snapshot());
            var card = set.Items.FirstOrDefault()?.CreateActivity();
            if (card is null) continue;
            var done = true;
            foreach (var copy in copies)
            {
                var result = await sender.UpdateAsync(copy.Key, card, cancellationToken).ConfigureAwait(false);
                done &= result.Outcome is UpdateOutcome.Updated or UpdateOutcome.PayloadReplaced or UpdateOutcome.Unreachable;
            }
            if (!done) continue;
            state.Record(run with { Revision = revision, FinishedAt = time.GetUtcNow() }, "boxscore-updated");
            updated++;
        }
        return updated;
    }

    private void Finish(DueWork occurrence, RhythmOutcome outcome, int messages, string? detail, int revision) =>
        state.Record(new RhythmRun
        {
            Id = RhythmRun.IdOf(occurrence.Kind, occurrence.TeamId, occurrence.Week),
            Kind = occurrence.Kind.KeyName(),
            TeamId = occurrence.TeamId,
            Week = occurrence.Week.ToString(),
            DueAt = occurrence.DueAtUtc,
            FinishedAt = time.GetUtcNow(),
            Outcome = outcome,
            Messages = messages,
            Detail = detail,
            Revision = revision,
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Rhythm tick: {Due} occurrences due, {Finished} finished, {Unfinished} left for the next tick, {NoDestination} with nowhere to go")]
    private static partial void LogTick(ILogger logger, int due, int finished, int unfinished, int noDestination);
}
