using System.Numerics;
using ValueManagement.Core.Signals;

namespace ValueManagement.Core.Tests.Signals;

public class RunsDistributionTests
{
    [Fact]
    public void Ten_and_ten_has_critical_values_6_and_16()
    {
        // The brief's check, and Swed & Eisenhart (1943) via Triola, Elementary Statistics, Table A-10 "Critical
        // Values for Number of Runs G" (α = 0.05, two tails): n1 = n2 = 10 → 6 and 16.
        Assert.Equal(new RunsCriticalValues(6, 16), RunsDistribution.CriticalValues(10, 10));
        Assert.Equal(new RunsCriticalValues(6, 16), RunsDistribution.CriticalValuesForPoints(20));
    }

    [Theory]
    // More cells of Triola's Table A-10 (from Swed & Eisenhart 1943), checked one by one against the exact computation.
    [InlineData(5, 5, 2, 10)]
    [InlineData(6, 6, 3, 11)]
    [InlineData(7, 7, 3, 13)]
    [InlineData(8, 8, 4, 14)]
    [InlineData(9, 9, 5, 15)]
    [InlineData(5, 6, 3, 10)]
    [InlineData(9, 10, 5, 16)]
    [InlineData(10, 11, 6, 17)]
    public void Critical_values_match_the_published_table(int n1, int n2, int lower, int upper)
    {
        Assert.Equal(new RunsCriticalValues(lower, upper), RunsDistribution.CriticalValues(n1, n2));
        Assert.Equal(new RunsCriticalValues(lower, upper), RunsDistribution.CriticalValues(n2, n1));
    }

    [Fact]
    public void The_whole_n1_10_row_of_the_published_table_matches()
    {
        // Triola, Table A-10, the row n1 = 10, for n2 = 3 … 20. The table fills a tail that has no critical value with a
        // number of runs that cannot occur (its n2 = 2 cell is "1, 6"; with n2 = 3 at most 7 runs are possible, yet the
        // cell says 8): the same test in effect, which this type says with null.
        (int Lower, int Upper)[] row =
        [
            (2, 8), (3, 10), (3, 12), (4, 13), (5, 14), (5, 15), (5, 16), (6, 16), (6, 17),
            (7, 17), (7, 18), (7, 18), (7, 18), (8, 19), (8, 19), (8, 19), (8, 20), (9, 20),
        ];
        for (var k = 0; k < row.Length; k++)
        {
            var n2 = k + 3;
            var mostRuns = 2 * n2 + 1;
            int? upper = row[k].Upper <= mostRuns ? row[k].Upper : null;
            Assert.Equal(new RunsCriticalValues(row[k].Lower, upper), RunsDistribution.CriticalValues(10, n2));
        }
        Assert.Equal(new RunsCriticalValues(null, null), RunsDistribution.CriticalValues(10, 2));
    }

    [Fact]
    public void Four_and_four_has_no_critical_value_in_either_tail()
    {
        // P(R = 2) = 2/70 = 0.029 > 0.025 (Walpole et al., Probability & Statistics, Table A.18: 0.029), and by symmetry
        // P(R = 8) too: no number of runs is unlikely enough.
        Assert.Equal(new RunsCriticalValues(null, null), RunsDistribution.CriticalValues(4, 4));
        Assert.Equal(0.029, RunsDistribution.CumulativeProbability(4, 4, 2), 3);
    }

    [Theory]
    // Walpole et al., Table A.18, P(V ≤ v*) for (n1, n2) = (5, 5) and (6, 6), v* = 2 … 6.
    [InlineData(5, 5, new[] { 0.008, 0.040, 0.167, 0.357, 0.643 })]
    [InlineData(6, 6, new[] { 0.002, 0.013, 0.067, 0.175, 0.392 })]
    public void Cumulative_probabilities_match_the_published_table(int n1, int n2, double[] expected)
    {
        for (var k = 0; k < expected.Length; k++)
            Assert.Equal(expected[k], RunsDistribution.CumulativeProbability(n1, n2, k + 2), 3);
    }

    [Fact]
    public void Counts_come_from_the_combinatorial_formula()
    {
        // n1 = n2 = 10: C(20, 10) = 184756 arrangements; R = 6 (k = 3): 2·C(9,2)² = 2592; R = 7: 2·C(9,2)·C(9,3) = 6048.
        Assert.Equal(new BigInteger(184756), RunsDistribution.TotalArrangements(10, 10));
        Assert.Equal(new BigInteger(2), RunsDistribution.Arrangements(10, 10, 2));
        Assert.Equal(new BigInteger(18), RunsDistribution.Arrangements(10, 10, 3));
        Assert.Equal(new BigInteger(2592), RunsDistribution.Arrangements(10, 10, 6));
        Assert.Equal(new BigInteger(6048), RunsDistribution.Arrangements(10, 10, 7));
        // P(R ≤ 6) = 3422/184756 ≈ 0.0185 ≤ 0.025 < P(R ≤ 7) = 9470/184756 ≈ 0.0513: hence the lower critical value 6.
        Assert.Equal(3422.0 / 184756, RunsDistribution.CumulativeProbability(10, 10, 6), 12);
        Assert.Equal(9470.0 / 184756, RunsDistribution.CumulativeProbability(10, 10, 7), 12);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(10, 10)]
    [InlineData(17, 23)]
    public void Counts_over_every_number_of_runs_add_up_to_every_arrangement(int n1, int n2)
    {
        var sum = BigInteger.Zero;
        for (var r = 1; r <= n1 + n2; r++) sum += RunsDistribution.Arrangements(n1, n2, r);
        Assert.Equal(RunsDistribution.TotalArrangements(n1, n2), sum);
    }

    [Fact]
    public void Odd_numbers_of_points_split_floor_and_ceiling()
    {
        Assert.Equal(RunsDistribution.CriticalValues(5, 6), RunsDistribution.CriticalValuesForPoints(11));
        Assert.Equal(RunsDistribution.CriticalValues(12, 13), RunsDistribution.CriticalValuesForPoints(25));
    }

    [Fact]
    public void Long_series_stay_exact_and_agree_with_the_normal_approximation()
    {
        // n1 = n2 = 1000: the distribution is symmetric about 1001, so the critical values are too; the normal
        // approximation (mean 1001, sd ≈ 22.36) puts them near 1001 ∓ 1.96 · 22.36.
        var critical = RunsDistribution.CriticalValues(1000, 1000);
        Assert.NotNull(critical.Lower);
        Assert.NotNull(critical.Upper);
        Assert.Equal(2002, critical.Lower!.Value + critical.Upper!.Value);
        Assert.InRange(critical.Lower.Value, 955, 959);
    }

    [Fact]
    public void Critical_values_are_cached()
    {
        var first = RunsDistribution.CriticalValues(40, 41);
        Assert.Equal(first, RunsDistribution.CriticalValues(40, 41));
    }
}
