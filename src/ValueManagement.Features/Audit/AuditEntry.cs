using LiteDB;

namespace ValueManagement.Features.Audit;

/// <summary>
/// One change a person (or the bot on their behalf) made: who, when, what, and the old and new
/// values. Entries are only ever added.
/// </summary>
public sealed record AuditEntry
{
    [BsonId]
    public ObjectId? Id { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The Entra object id of the person, or <c>system:&lt;job&gt;</c> / <c>vm:&lt;user&gt;</c> for the scheduler and the admin tool.</summary>
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }

    /// <summary>What kind of thing changed, e.g. <c>submission</c>, <c>team</c>, <c>role</c>, <c>schedule</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>Which one, e.g. <c>ward-7|2026-W48</c>.</summary>
    public required string SubjectId { get; init; }
    public required string Action { get; init; }
    public IReadOnlyList<AuditChange> Changes { get; init; } = [];
    public string? TeamId { get; init; }
}

/// <param name="Field">e.g. a measure key, or <c>comment</c>.</param>
public sealed record AuditChange(string Field, string? Old, string? New);

/// <summary>Who made a change.</summary>
public sealed record Actor(string Id, string Name)
{
    public static Actor System(string job) => new($"system:{job}", $"the bot ({job})");
    public static Actor Tool(string command) => new($"vm:{Environment.UserName}", $"{Environment.UserName} (vm {command})");
}
