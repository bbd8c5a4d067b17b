using System.Collections.Concurrent;
using System.Numerics;

namespace ValueManagement.Core.Signals;

/// <summary>
/// Critical values of the runs test: too few runs when the number of runs is at or below <see cref="Lower"/>, too many
/// when at or above <see cref="Upper"/>. Either is <see langword="null"/> when no number of runs is that unlikely.
/// </summary>
public readonly record struct RunsCriticalValues(int? Lower, int? Upper);

/// <summary>
/// The exact distribution of the number of runs in a random arrangement of n1 points of one kind and n2 of the other
/// (Swed &amp; Eisenhart 1943), counted with exact integers: of the C(n1 + n2, n1) equally likely arrangements,
/// 2·C(n1−1, k−1)·C(n2−1, k−1) have 2k runs and C(n1−1, k)·C(n2−1, k−1) + C(n1−1, k−1)·C(n2−1, k) have 2k + 1.
/// </summary>
public static class RunsDistribution
{
    /// <summary>Each tail of the test holds 2.5% (the central 95% is noise): the tail probability must be at most 1/40.</summary>
    public const int TailDenominator = 40;

    private static readonly ConcurrentDictionary<(int N1, int N2), RunsCriticalValues> Cache = new();

    /// <summary>How many of the C(n1 + n2, n1) arrangements have exactly <paramref name="runs"/> runs.</summary>
    public static BigInteger Arrangements(int n1, int n2, int runs)
    {
        Validate(n1, n2);
        if (runs < 1) return BigInteger.Zero;
        if (n1 == 0 || n2 == 0) return runs == 1 ? BigInteger.One : BigInteger.Zero;
        if (runs % 2 == 0)
        {
            var k = runs / 2;
            return 2 * Binomial(n1 - 1, k - 1) * Binomial(n2 - 1, k - 1);
        }
        else
        {
            var k = runs / 2;
            return Binomial(n1 - 1, k) * Binomial(n2 - 1, k - 1) + Binomial(n1 - 1, k - 1) * Binomial(n2 - 1, k);
        }
    }

    /// <summary>C(n1 + n2, n1): every arrangement of the points.</summary>
    public static BigInteger TotalArrangements(int n1, int n2)
    {
        Validate(n1, n2);
        return Binomial(n1 + n2, n1);
    }

    /// <summary>P(R = runs).</summary>
    public static double Probability(int n1, int n2, int runs) => Ratio(Arrangements(n1, n2, runs), TotalArrangements(n1, n2));

    /// <summary>P(R ≤ runs).</summary>
    public static double CumulativeProbability(int n1, int n2, int runs)
    {
        var sum = BigInteger.Zero;
        for (var r = 2; r <= runs; r++) sum += Arrangements(n1, n2, r);
        return Ratio(sum, TotalArrangements(n1, n2));
    }

    /// <summary>
    /// The critical values at 2.5% in each tail: the largest r with P(R ≤ r) ≤ 2.5% and the smallest r with
    /// P(R ≥ r) ≤ 2.5%, compared exactly (40 · count ≤ total). Cached: each (n1, n2) is computed once.
    /// </summary>
    public static RunsCriticalValues CriticalValues(int n1, int n2)
    {
        Validate(n1, n2);
        return Cache.GetOrAdd((n1, n2), static key => Compute(key.N1, key.N2));
    }

    /// <summary>The critical values for n useful points split as evenly as possible: ⌊n/2⌋ and ⌈n/2⌉.</summary>
    public static RunsCriticalValues CriticalValuesForPoints(int usefulPoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(usefulPoints);
        return CriticalValues(usefulPoints / 2, usefulPoints - usefulPoints / 2);
    }

    private static RunsCriticalValues Compute(int n1, int n2)
    {
        if (n1 == 0 || n2 == 0) return new RunsCriticalValues(null, null);

        // C(n1−1, k) and C(n2−1, k) for every k, by the multiplicative recurrence: O(n) big-integer steps.
        var a = BinomialRow(n1 - 1);
        var b = BinomialRow(n2 - 1);
        var total = Binomial(n1 + n2, n1);
        var maxRuns = n1 == n2 ? 2 * n1 : 2 * Math.Min(n1, n2) + 1;

        BigInteger Count(int runs)
        {
            var k = runs / 2;
            if (runs % 2 == 0) return 2 * At(a, k - 1) * At(b, k - 1);
            return At(a, k) * At(b, k - 1) + At(a, k - 1) * At(b, k);
        }

        int? lower = null;
        var tail = BigInteger.Zero;
        for (var r = 2; r <= maxRuns; r++)
        {
            tail += Count(r);
            if (tail * TailDenominator > total) break;
            lower = r;
        }

        int? upper = null;
        tail = BigInteger.Zero;
        for (var r = maxRuns; r >= 2; r--)
        {
            tail += Count(r);
            if (tail * TailDenominator > total) break;
            upper = r;
        }

        return new RunsCriticalValues(lower, upper);
    }

    private static BigInteger At(BigInteger[] row, int k) => k < 0 || k >= row.Length ? BigInteger.Zero : row[k];

    private static BigInteger[] BinomialRow(int m)
    {
        var row = new BigInteger[m + 1];
        row[0] = BigInteger.One;
        for (var k = 0; k < m; k++) row[k + 1] = row[k] * (m - k) / (k + 1);
        return row;
    }

    private static BigInteger Binomial(int n, int k)
    {
        if (k < 0 || k > n) return BigInteger.Zero;
        k = Math.Min(k, n - k);
        var result = BigInteger.One;
        for (var i = 0; i < k; i++) result = result * (n - i) / (i + 1);
        return result;
    }

    private static double Ratio(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.IsZero) return 0;
        // Beyond about 1e300 the counts no longer fit a double: divide their logarithms instead.
        if (denominator.GetBitLength() < 1000) return (double)numerator / (double)denominator;
        return Math.Exp(BigInteger.Log(numerator) - BigInteger.Log(denominator));
    }

    private static void Validate(int n1, int n2)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n1);
        ArgumentOutOfRangeException.ThrowIfNegative(n2);
    }
}
