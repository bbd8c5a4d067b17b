using System.ComponentModel.DataAnnotations;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Features.Scheduling;

/// <summary>Hangfire and the weekly rhythm: where jobs are kept, how often it looks for work, holidays (<c>Scheduling</c> section).</summary>
public sealed class SchedulingOptions : IValidatableObject
{
    public const string SectionName = "Scheduling";

    /// <summary>Off: no Hangfire server in this process (the <c>vm</c> tool, some tests).</summary>
    public bool Enabled { get; set; } = true;

    public JobStorageKind Storage { get; set; } = JobStorageKind.Sqlite;

    /// <summary>The SQLite file for <see cref="JobStorageKind.Sqlite"/>. One server process per file.</summary>
    [Required]
    public string SqlitePath { get; set; } = "data/jobs.db";

    /// <summary>How often the server polls for queued jobs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a job that was running when the process died stays invisible before another
    /// worker picks it up again. Hangfire's default is 30 minutes; a Monday fan-out should resume
    /// within minutes of a restart.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "01:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    [Range(1, 32)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>How often the rhythm is ticked (what is due is computed from the schedules and the send ledger).</summary>
    [Required]
    public string TickCron { get; set; } = "* * * * *";

    /// <summary>The time zone Hangfire reads <see cref="TickCron"/> in (its own default is UTC).</summary>
    [Required]
    public string TimeZone { get; set; } = TeamClock.DefaultTimeZoneId;

    /// <summary>After downtime, an occurrence missed by no more than this is still sent; older ones are left.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "2.00:00:00")]
    public TimeSpan CatchUpWindow { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// When the weekly roll-up goes to each service's and board's managers' channel (bound with
    /// <c>link service|board &lt;name&gt;</c>), in <see cref="TimeZone"/>: a day and a 24-hour time,
    /// e.g. "tue 13:00" (after the default Tuesday 12:00 deadline). It covers the last completed week.
    /// </summary>
    [Required]
    public string RollupAt { get; set; } = "tue 13:00";

    /// <summary>Use the shipped Scottish bank holidays (2026 to 2030) as well as <see cref="Holidays"/>.</summary>
    public bool ScottishBankHolidays { get; set; } = true;

    /// <summary>More public holidays (local or later years), each with a date and a name.</summary>
    public List<HolidayOption> Holidays { get; set; } = [];

    public HolidayCalendar HolidayCalendar()
    {
        var listed = Holidays.Where(h => h.Date is not null).Select(h => new Holiday(h.Date!.Value, h.Name ?? "Public holiday")).ToList();
        var shipped = ScottishBankHolidays ? Core.Weeks.ScottishBankHolidays.For2026To2030.Holidays.Where(h => listed.All(l => l.Date != h.Date)) : [];
        return new HolidayCalendar(shipped.Concat(listed));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
            yield return new ValidationResult($"Scheduling:TimeZone '{TimeZone}' is not a known time zone (for example Europe/London).", [nameof(TimeZone)]);
        if (TickCron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not (5 or 6))
            yield return new ValidationResult($"Scheduling:TickCron '{TickCron}' is not a cron expression (five fields, e.g. \"* * * * *\").", [nameof(TickCron)]);
        if (!WeeklyTime.TryParse(RollupAt, out _, out var rollupProblem))
            yield return new ValidationResult($"Scheduling:RollupAt '{RollupAt}': {rollupProblem}", [nameof(RollupAt)]);
        for (var i = 0; i < Holidays.Count; i++)
        {
            if (Holidays[i].Date is null)
                yield return new ValidationResult($"Scheduling:Holidays:{i} has no Date (yyyy-MM-dd).", [nameof(Holidays)]);
        }
        foreach (var twice in Holidays.Where(h => h.Date is not null).GroupBy(h => h.Date).Where(g => g.Count() > 1))
            yield return new ValidationResult($"Scheduling:Holidays lists {twice.Key:yyyy-MM-dd} twice.", [nameof(Holidays)]);
    }
}

/// <summary>One dated public holiday in configuration.</summary>
public sealed class HolidayOption
{
    public DateOnly? Date { get; set; }
    public string? Name { get; set; }
}

public enum JobStorageKind
{
    /// <summary>
    /// Durable: the default. Embedded (a SQLite file, one server process) with the LiteDB provider; in the
    /// PostgreSQL database, shared by every instance, when <c>Storage:Provider</c> is PostgreSql.
    /// </summary>
    Sqlite,
    /// <summary>Lost on restart: tests and demos only.</summary>
    InMemory,
}
