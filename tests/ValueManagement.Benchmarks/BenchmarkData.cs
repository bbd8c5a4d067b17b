using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;

namespace ValueManagement.Benchmarks;

/// <summary>The sizes the targets are set for: 30 measures × 3 years of weeks, and a board of 1,000 teams.</summary>
public static class BenchmarkData
{
    public const int Weeks = 156;
    public const int RollupTeams = 1000;

    public static MeasureSet ThirtyMeasures => BoxScoreSamples.ThirtyMeasureSet;
    public static IsoWeek Week => BoxScoreSamples.Week;

    public static IReadOnlyList<WeekValues> ThreeYears() => BoxScoreSamples.History(ThirtyMeasures, Weeks);

    public static IReadOnlyList<RollupTeam> Board()
    {
        string[] services = ["Medicine", "Surgery", "Mental health", "Community", "Children"];
        var history = ThreeYears();
        var teams = new List<RollupTeam>(RollupTeams);
        for (var i = 0; i < RollupTeams; i++)
        {
            var service = services[i % services.Length];
            var scale = 0.8 + i % 9 * 0.05;
            var teamHistory = history
                .Select(w => w with { Values = w.Values.ToDictionary(v => v.Key, v => v.Value is { } x && v.Key == "nonPayCost" ? x * scale : v.Value) })
                .ToList();
            teams.Add(new RollupTeam($"team-{i + 1}", $"{service} team {i / services.Length + 1}", service.ToLowerInvariant().Replace(' ', '-'), service, ThirtyMeasures, teamHistory));
        }
        return teams;
    }
}
