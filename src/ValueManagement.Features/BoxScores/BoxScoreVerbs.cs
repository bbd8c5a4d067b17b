namespace ValueManagement.Features.BoxScores;

/// <summary>The box-score feature's card verbs and data keys.</summary>
public static class BoxScoreVerbs
{
    /// <summary>Show a team's box score for a week: data <c>{teamId, week}</c>.</summary>
    public const string ShowBoxScore = "showBoxScore";

    /// <summary>Show a team's report-out card for a week: data <c>{teamId, week}</c>.</summary>
    public const string ShowReport = "showReport";

    /// <summary>The next page of a roll-up: data <c>{scope, scopeId, week, offset}</c>.</summary>
    public const string RollupMore = "rollupMore";

    public const string TeamIdKey = "teamId";
    public const string WeekKey = "week";
    public const string ScopeKey = "scope";
    public const string ScopeIdKey = "scopeId";
    public const string OffsetKey = "offset";
}
