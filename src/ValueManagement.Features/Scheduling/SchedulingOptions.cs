using System.ComponentModel.DataAnnotations;

namespace ValueManagement.Features.Scheduling;

/// <summary>Hangfire: where jobs are kept and how often it looks for work (<c>Scheduling</c> section).</summary>
public sealed class SchedulingOptions
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
    public string TickCron { get; set; } = "* * * * *";
}

public enum JobStorageKind
{
    /// <summary>Durable, embedded, one server process: the default.</summary>
    Sqlite,
    /// <summary>Lost on restart: tests and demos only.</summary>
    InMemory,
}
