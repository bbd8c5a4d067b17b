using LiteDB;

namespace ValueManagement.Features.Storage;

/// <summary>
/// The schema version of the data file and the steps that bring an older file up to date, applied
/// in order at start. A step must be safe to run on a file that a crash left half-migrated.
/// </summary>
public static class Migrations
{
    private const string InfoCollection = "schema_info";

    private static readonly IReadOnlyList<(int Version, string Description, Action<LiteDatabase> Apply)> Steps =
    [
        (1, "conversation references and activity claims", db =>
        {
            var conversations = db.GetCollection(Collections.Conversations);
            conversations.EnsureIndex("TeamThreadId");
            conversations.EnsureIndex("Active");
            db.GetCollection(Collections.ActivityClaims).EnsureIndex("ClaimedAt");
        }),
        (2, "audit trail, organisation, roles and weekly submissions", db =>
        {
            var audit = db.GetCollection(Collections.Audit);
            audit.EnsureIndex("TeamId");
            audit.EnsureIndex("SubjectId");
            db.GetCollection(Collections.Teams).EnsureIndex("ServiceId");
            db.GetCollection(Collections.Teams).EnsureIndex("ChannelConversationId");
            db.GetCollection(Collections.Roles).EnsureIndex("AadObjectId");
            db.GetCollection(Collections.Roles).EnsureIndex("ScopeId");
            var submissions = db.GetCollection(Collections.Submissions);
            submissions.EnsureIndex("TeamId");
            submissions.EnsureIndex("Week");
        }),
        (3, "proactive delivery ledger", db =>
        {
            var ledger = db.GetCollection(Collections.DeliveryLedger);
            ledger.EnsureIndex("FanOutId");
            ledger.EnsureIndex("TeamId");
            ledger.EnsureIndex("State");
            db.GetCollection(Collections.DeliveryFanOuts).EnsureIndex("LastRunAt");
        }),
        (4, "tests of change (PDSA)", db =>
        {
            db.GetCollection(Collections.TestsOfChange).EnsureIndex("TeamId");
        }),
        (5, "weekly rhythm: occurrences run and team schedules", db =>
        {
            var runs = db.GetCollection(Collections.RhythmRuns);
            runs.EnsureIndex("TeamId");
            runs.EnsureIndex("FinishedAt");
            db.GetCollection(Collections.TeamSchedules);
        }),
        (8, "roles indexed by person and scope inside the stored assignment", db =>
        {
            // Step 2's AadObjectId and ScopeId indexes are on top-level fields that role documents do not
            // have (they hold an Assignment), so every permission check read the whole roles collection.
            var roles = db.GetCollection(Collections.Roles);
            roles.EnsureIndex("AssignmentAadObjectId", "$.Assignment.AadObjectId");
            roles.EnsureIndex("AssignmentScopeId", "$.Assignment.ScopeId");
        }),
        // Step 9 built a document per team and week with its current values; step 10 replaced those with one
        // document per team, built from the revisions at the first read (SubmissionStore.CurrentValues), so step 9
        // has nothing left to do.
        (9, "compact current values per team and week, for box scores and roll-ups", _ => { }),
        (10, "current values in one document per team: the per-week documents dropped", db =>
        {
            db.DropCollection(Collections.CurrentValuesByWeek);
        }),
    ];

    public static int CurrentVersion => Steps[^1].Version;

    public static int ReadVersion(LiteDatabase db) =>
        db.GetCollection(InfoCollection).FindById("schema")?["Version"].AsInt32 ?? 0;

    public static void Apply(LiteDatabase db)
    {
        var info = db.GetCollection(InfoCollection);
        var version = ReadVersion(db);
        if (version > CurrentVersion)
            throw new InvalidOperationException($"The data file has schema version {version}, newer than this program's {CurrentVersion}. Run a newer version of the bot.");

        foreach (var step in Steps.Where(s => s.Version > version))
        {
            step.Apply(db);
            info.Upsert(new BsonDocument { ["_id"] = "schema", ["Version"] = step.Version, ["Description"] = step.Description });
        }
    }
}

/// <summary>Collection names, in one place.</summary>
public static class Collections
{
    public const string Conversations = "conversations";
    public const string ActivityClaims = "activity_claims";
    public const string Audit = "audit";
    public const string Boards = "boards";
    public const string Services = "services";
    public const string Teams = "teams";
    public const string MeasureSets = "measure_sets";
    public const string Roles = "roles";
    public const string Submissions = "submissions";
    public const string ScopeChannels = "scope_channels";
    public const string DeliveryLedger = "delivery_ledger";
    public const string DeliveryPayloads = "delivery_payloads";
    public const string DeliveryFanOuts = "delivery_fanouts";
    public const string TestsOfChange = "tests_of_change";
    public const string RhythmRuns = "rhythm_runs";
    public const string TeamSchedules = "team_schedules";
    public const string CurrentValuesByTeam = "current_values_by_team";

    /// <summary>Kept by schema versions 9 (one document per team and week), dropped by step 10.</summary>
    public const string CurrentValuesByWeek = "current_values";
    public const string LimitRebases = "limit_rebases";
}
