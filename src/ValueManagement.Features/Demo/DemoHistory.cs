using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;
using static ValueManagement.Features.Demo.DemoOrganisation;

namespace ValueManagement.Features.Demo;

/// <summary>One week of a demo team: what the team entered, what the finance extract brought, and a comment.</summary>
/// <param name="Imported">Empty when the finance data has not arrived yet.</param>
public sealed record DemoWeek(IsoWeek Week, IReadOnlyDictionary<string, double?> Entered, IReadOnlyDictionary<string, double?> Imported, string? Comment);

public sealed record DemoTeamHistory(string TeamId, IReadOnlyList<DemoWeek> Weeks);

/// <summary>
/// A test of change in the demo that was adopted, and the coach's rebase of its measure's limits from the week it was
/// adopted (weeks as indices into the 52, 0 the oldest).
/// </summary>
public sealed record DemoAdoptedChange(string TeamId, string Title, string MeasureKey, int StartedAt, int AdoptedAt, string CoachId, string CoachName);

/// <summary>
/// A year of weekly figures for the demo teams, shaped like the published NHS Highland results
/// (domain.md) and placed so that every kind of signal appears somewhere. Deterministic: the same
/// last week gives the same figures (each team has its own seeded <see cref="Random"/>).
/// </summary>
/// <remarks>
/// Where each signal is, so the signal engine can be checked against it (week index 0 is the oldest
/// of 52, 51 the latest):
/// <list type="bullet">
/// <item>Cost per patient per week falls in every team (respiratory −21% to £438.5, cardio-endocrine
/// −11% to £471.6, children's −10% to £370.5, Morar −12% to £939.2, cath lab −13% to £1,219.5, sleep
/// service −16% to £49.8; the latest week with finance data is exactly the published figure): XmR
/// points outside the limits both above (concern) and below (improvement), and shifts of 7+.</item>
/// <item>Patients per week rise 30% (respiratory), 115% (sleep service) and 2% (cardio-endocrine):
/// shift of 7+ above the mean (improvement). Falls drop about 26% across the four wards.</item>
/// <item>XmR trend of 7: discharges before noon rising in respiratory (weeks 20–26, improvement),
/// bank hours rising at Morar (weeks 45–51, the latest, concern), the sleep service's waiting list
/// falling (weeks 38–44, improvement; it halves, so its later points are outside the limits too).</item>
/// <item>XmR two out of three near the limit: cardio-endocrine sickness absence (weeks 49–51, the
/// latest, concern) and cath lab did-not-attend rate (weeks 30–32, improvement).</item>
/// <item>XmR outside the limits on a stable series: children's agency hours in week 44 (concern).</item>
/// <item>XmR shift of 7 (concern): cardio-endocrine vacancies above the mean for the last 8 weeks
/// (the first of them near the limit as well).</item>
/// <item>Run chart (fewer than 12 points): measures started recently — cath lab same-day discharge
/// (11 weeks: too few runs, trend of 5), cath lab on-call hours (11 weeks, fortnightly rota: too many
/// runs), sleep service remote CPAP reviews (10 weeks: trend of 5, too few runs). A shift of 6 needs
/// 12 points or more, so it shows where a team chooses run charts for a long series, such as any
/// cost per patient.</item>
/// <item>Awaiting finance data: New Craigs Morar's latest week has no pay or non-pay cost.</item>
/// <item>Not entered yet: the sleep service's last week (<see cref="LastWeekNotEntered"/>); its weeks end the week before.</item>
/// <item>A rebased chart: respiratory's huddle discharge planning (tested from week 20, adopted in week 27) moved
/// discharges before noon from about 24% to about 40%; the coach rebased the limits from week 27
/// (<see cref="AdoptedChanges"/>), so the chart has one set of limits before the change and one after.</item>
/// </list>
/// </remarks>
public static class DemoHistory
{
    public const int Weeks = 52;

    /// <summary>
    /// The team whose last week is not entered yet (so <c>missing</c>, <c>remind</c> and the Monday form have something to
    /// show): its year of figures ends the week before, otherwise shaped as described above.
    /// </summary>
    public const string LastWeekNotEntered = SleepService;

    /// <summary>The demo's adopted tests of change, each with its measure's limits rebased from the week it was adopted.</summary>
    public static IReadOnlyList<DemoAdoptedChange> AdoptedChanges { get; } =
    [
        new(Respiratory, "Plan discharges at the morning huddle", "dischargesBeforeNoon", StartedAt: 20, AdoptedAt: 27, DemoOrganisation.People.RaviPatel, "Ravi Patel"),
    ];

    /// <summary>The weeks generated: <paramref name="lastWeek"/> and the 51 before it.</summary>
    public static IReadOnlyList<IsoWeek> WeeksEndingWith(IsoWeek lastWeek) =>
        Enumerable.Range(0, Weeks).Select(i => lastWeek.AddWeeks(i - (Weeks - 1))).ToList();

    public static IReadOnlyList<DemoTeamHistory> Generate(IsoWeek lastWeek)
    {
        var weeks = WeeksEndingWith(lastWeek);
        return
        [
            RespiratoryHistory(weeks),
            CardioEndocrineHistory(weeks),
            ChildrensWardHistory(weeks),
            MorarHistory(weeks),
            CathLabHistory(weeks),
            SleepServiceHistory(WeeksEndingWith(lastWeek.Previous())),
        ];
    }

    private static DemoTeamHistory RespiratoryHistory(IReadOnlyList<IsoWeek> weeks)
    {
        var g = new Generator(seed: 7101);
        var ward = Ward(g, patients: (38, 49.4), falls: (5.2, 3.85), beds: 28);
        var cost = Cost(g, ward.Patients, start: 438.5 / 0.79, end: 438.5);

        // A test of change from week 20: discharge planning at the morning huddle. Seven weeks of
        // steady rise, then the new level holds.
        ward.Values["dischargesBeforeNoon"] = Series(i => i < 20 ? 24 + g.Noise(2.5) : i <= 26 ? 25 + 2.2 * (i - 19) : 40 + g.Noise(2.5));
        var comments = new Dictionary<int, string>
        {
            [20] = "Test of change: plan discharges at the morning huddle.",
            [27] = "Huddle discharge planning adopted.",
        };
        return Assemble(Respiratory, weeks, DefaultMeasureSets.AcuteWard, ward.Values, cost, comments);
    }

    private static DemoTeamHistory CardioEndocrineHistory(IReadOnlyList<IsoWeek> weeks)
    {
        var g = new Generator(seed: 7102);
        var ward = Ward(g, patients: (32, 32.6), falls: (4.2, 3.1), beds: 24);
        var cost = Cost(g, ward.Patients, start: 471.6 / 0.89, end: 471.6);

        // Sickness absence steady at about 4.6%, until two of the last three weeks come near the
        // upper limit (the middle one above the mean but not near the limit).
        var sickness = Series(_ => 4.6 + g.Noise(0.45, clip: 1.1));
        NearTheLimit(sickness, first: 49, above: true, decimals: 1);
        ward.Values["sicknessAbsence"] = sickness;

        // A part-time post left vacant for the last eight weeks.
        ward.Values["vacanciesWte"] = Series(i => i >= 44 ? 2.85 + g.Noise(0.1, clip: 0.2) : 2.4 + g.Noise(0.25, clip: 0.6));
        var comments = new Dictionary<int, string>
        {
            [44] = "A part-time staff nurse left; the post is out to advert.",
            [51] = "Winter viruses: several staff off sick.",
        };
        return Assemble(CardioEndocrine, weeks, DefaultMeasureSets.AcuteWard, ward.Values, cost, comments);
    }

    private static DemoTeamHistory ChildrensWardHistory(IReadOnlyList<IsoWeek> weeks)
    {
        var g = new Generator(seed: 7103);
        var ward = Ward(g, patients: (45, 45.5), falls: (1.4, 1.05), beds: 22);
        var cost = Cost(g, ward.Patients, start: 370.5 / 0.90, end: 370.5);

        // A respiratory virus surge in week 44 needed agency nurses on nights.
        ward.Values["agencyHours"] = Series(i => i == 44 ? 142 : Math.Max(0, 22 + g.Noise(6, clip: 15)));
        var comments = new Dictionary<int, string> { [44] = "RSV surge: agency nurses covered night shifts." };
        return Assemble(ChildrensWard, weeks, DefaultMeasureSets.AcuteWard, ward.Values, cost, comments);
    }

    private static DemoTeamHistory MorarHistory(IReadOnlyList<IsoWeek> weeks)
    {
        var g = new Generator(seed: 7104);
        var ward = Ward(g, patients: (16, 16.2), falls: (6.0, 4.45), beds: 20);
        // The latest week's finance data has not arrived: the published figure is the week before's.
        var cost = Cost(g, ward.Patients, start: 939.2 / 0.88, end: 939.2, exactAt: Weeks - 2, awaitingLatest: true);

        // Bank hours rise week on week for the last seven weeks as long-term sickness is covered.
        ward.Values["bankHours"] = Series(i => i < 45 ? 196 + g.Noise(12, clip: 30) : 203 + 4 * (i - 45) + g.Noise(0.8, clip: 1.2));
        var comments = new Dictionary<int, string> { [45] = "Two long-term sickness absences covered by bank staff." };
        return Assemble(Morar, weeks, InpatientPsychiatry, ward.Values, cost, comments);
    }

    private static DemoTeamHistory CathLabHistory(IReadOnlyList<IsoWeek> weeks)
    {
        var g = new Generator(seed: 7105);
        var values = Clinic(g, patients: (38, 38.5), dna: 6.5);
        var cost = Cost(g, values.Patients, start: 1219.5 / 0.87, end: 1219.5);

        // Did-not-attend dips near the lower limit after text reminders started in week 30.
        NearTheLimit(values.Values["dnaRate"], first: 30, above: false, decimals: 1);

        // Two measures the team started recording eleven weeks ago.
        values.Values["sameDayDischarge"] = Recent([48, 52, 50, 47, 51, 61, 68, 71, 70, 73, 72]);
        values.Values["onCallHours"] = Recent([31, 9, 29, 11, 32, 20, 10, 30, 8, 33, 12]);
        var comments = new Dictionary<int, string>
        {
            [30] = "Test of change: text reminders two days before a procedure.",
            [41] = "Started recording same-day discharge and on-call hours.",
        };
        return Assemble(CathLab, weeks, CathLabSet, values.Values, cost, comments);
    }

    private static DemoTeamHistory SleepServiceHistory(IReadOnlyList<IsoWeek> weeks)
    {
        var g = new Generator(seed: 7106);
        var values = Clinic(g, patients: (120, 258), dna: 8.0);
        var cost = Cost(g, values.Patients, start: 49.8 / 0.84, end: 49.8);

        // The extra clinics bring the waiting list down, seven weeks in a row.
        values.Values["waitingOver12Weeks"] = Series(i => i < 38 ? 62 + g.Noise(3, clip: 7.5) : i <= 44 ? 58 - 4.3 * (i - 38) : 31 + g.Noise(2.5, clip: 6));
        values.Values["remoteReviews"] = Recent([12, 15, 14, 18, 23, 27, 33, 38, 37, 41]);
        var comments = new Dictionary<int, string>
        {
            [38] = "Two extra clinics a week from now on.",
            [42] = "Test of change: CPAP reviews by video call.",
        };
        return Assemble(SleepService, weeks, SleepServiceSet, values.Values, cost, comments);
    }

    /// <param name="Patients">The patient counts, the same array as in <paramref name="Values"/>: <see cref="Cost"/> may nudge one.</param>
    private sealed record Figures(Dictionary<string, double?[]> Values, double?[] Patients);

    /// <summary>The measures of an inpatient ward: a patient count that moves from one level to another, falls falling, and steady workforce figures.</summary>
    private static Figures Ward(Generator g, (double Start, double End) patients, (double Start, double End) falls, int beds)
    {
        var patientLevel = Ramp(patients.Start, patients.End);
        var patientCounts = Calibrated(patientLevel.Select(p => p * (1 + g.Noise(0.035, clip: 0.09))).ToArray(), patients.End / patients.Start);
        var fallsLevel = Ramp(falls.Start, falls.End);
        var values = new Dictionary<string, double?[]>(StringComparer.Ordinal)
        {
            ["falls"] = Series(i => g.Poisson(fallsLevel[i])),
            ["fallsWithHarm"] = Series(_ => g.Poisson(0.2)),
            ["pressureUlcers"] = Series(i => g.Poisson(0.45 - 0.15 * i / Weeks)),
            ["medicationIncidents"] = Series(_ => g.Poisson(1.3)),
            ["complaints"] = Series(_ => g.Poisson(0.3)),
            ["sicknessAbsence"] = Series(_ => 5.2 + g.Noise(0.6, clip: 1.5)),
            ["bankHours"] = Series(_ => 175 + g.Noise(22, clip: 55)),
            ["agencyHours"] = Series(_ => Math.Max(0, 28 + g.Noise(9, clip: 22))),
            ["vacanciesWte"] = Series(_ => 2.4 + g.Noise(0.25, clip: 0.6)),
            // Sampled on a day and a night shift every eight weeks, improving as the team frees nurses' time.
            ["rnDirectCareTime"] = Series(i => i % 8 == 3 ? 46 + 12.0 * i / Weeks + g.Noise(1.5, clip: 3) : null),
            ["patientsAdmitted"] = patientCounts,
            ["occupiedBedDays"] = Series(_ => Math.Round(beds * 7 * (0.92 + g.Noise(0.025, clip: 0.06)))),
            ["dischargesBeforeNoon"] = Series(i => 25 + 8.0 * i / Weeks + g.Noise(3, clip: 7.5)),
        };
        return new Figures(values, patientCounts);
    }

    /// <summary>The measures of a clinic or procedure service.</summary>
    private static Figures Clinic(Generator g, (double Start, double End) patients, double dna)
    {
        var patientLevel = Ramp(patients.Start, patients.End);
        var patientCounts = Calibrated(patientLevel.Select(p => p * (1 + g.Noise(0.035, clip: 0.09))).ToArray(), patients.End / patients.Start);
        var values = new Dictionary<string, double?[]>(StringComparer.Ordinal)
        {
            ["clinicalIncidents"] = Series(_ => g.Poisson(0.6)),
            ["complaints"] = Series(_ => g.Poisson(0.25)),
            ["dnaRate"] = Series(_ => dna + g.Noise(0.55, clip: 1.4)),
            ["sicknessAbsence"] = Series(_ => 4.4 + g.Noise(0.5, clip: 1.25)),
            ["bankHours"] = Series(_ => 45 + g.Noise(8, clip: 20)),
            ["agencyHours"] = Series(_ => Math.Max(0, 6 + g.Noise(3, clip: 7.5))),
            ["vacanciesWte"] = Series(_ => 1.2 + g.Noise(0.15, clip: 0.37)),
            ["patientsSeen"] = patientCounts,
        };
        return new Figures(values, patientCounts);
    }

    /// <summary>Pay and non-pay cost so that cost per patient per week follows the published fall, exactly the published figure in the latest week with finance data.</summary>
    private static Dictionary<string, double?[]> Cost(Generator g, double?[] patients, double start, double end, int exactAt = Weeks - 1, bool awaitingLatest = false)
    {
        var level = Ramp(start, end);
        var pay = new double?[Weeks];
        var nonPay = new double?[Weeks];
        for (var i = 0; i < Weeks; i++)
        {
            if (awaitingLatest && i == Weeks - 1) continue;
            double total;
            if (i == exactAt)
            {
                // Nudge the patient count until the published figure times it is whole pounds.
                var count = patients[i]!.Value;
                while (Math.Abs(end * count - Math.Round(end * count)) > 1e-6) count++;
                patients[i] = count;
                total = Math.Round(end * count);
            }
            else
            {
                total = Math.Round(level[i] * (1 + g.Noise(0.012, clip: 0.03)) * patients[i]!.Value);
            }
            var share = 0.81 + g.Noise(0.008, clip: 0.02);
            pay[i] = Math.Round(total * share);
            nonPay[i] = total - pay[i];
        }
        return new Dictionary<string, double?[]>(StringComparer.Ordinal) { ["payCost"] = pay, ["nonPayCost"] = nonPay };
    }

    /// <summary>
    /// Places two of three points (<paramref name="first"/> and the one two after it) beyond the
    /// near-limit band but inside the process limits, and the point between them on the same side of
    /// the mean, computing the limits as the XmR rules do (mean ± 2.66 × mean moving range, moving
    /// ranges of 3.267 × the mean or more screened out once) on the series with the points placed.
    /// </summary>
    private static void NearTheLimit(double?[] series, int first, bool above, int decimals)
    {
        var sign = above ? 1 : -1;
        for (var iteration = 0; iteration < 20; iteration++)
        {
            var (mean, movingRange) = XmrCentre(series);
            series[first] = Math.Round(mean + sign * 2.2 * movingRange, decimals);
            series[first + 1] = Math.Round(mean + sign * 0.6 * movingRange, decimals);
            series[first + 2] = Math.Round(mean + sign * 2.25 * movingRange, decimals);
        }
    }

    private static (double Mean, double MovingRange) XmrCentre(double?[] series)
    {
        var values = series.Where(v => v is not null).Select(v => v!.Value).ToArray();
        var ranges = values.Zip(values.Skip(1), (a, b) => Math.Abs(b - a)).ToArray();
        var average = ranges.Average();
        var screened = ranges.Where(r => r < 3.267 * average).DefaultIfEmpty(average).Average();
        return (values.Average(), screened);
    }

    /// <summary>
    /// Whole patient counts whose last twelve weeks average <paramref name="ratio"/> times the first
    /// twelve, as published: the noise is kept, the new level is scaled to what the noise left.
    /// </summary>
    private static double?[] Calibrated(double[] noisy, double ratio)
    {
        var scale = ratio * noisy.Take(12).Average() / noisy.TakeLast(12).Average();
        return noisy.Select((p, i) => (double?)Math.Round(i >= 40 ? p * scale : i >= 12 ? p * (1 + (scale - 1) * (i - 11) / 29.0) : p)).ToArray();
    }

    /// <summary>A measure recorded only in the latest weeks.</summary>
    private static double?[] Recent(double[] values) =>
        Series(i => i >= Weeks - values.Length ? values[i - (Weeks - values.Length)] : null);

    /// <summary>Level <paramref name="start"/> for twelve weeks, a steady change over the next 28, then level <paramref name="end"/>.</summary>
    private static double[] Ramp(double start, double end) =>
        Enumerable.Range(0, Weeks).Select(i => i < 12 ? start : i >= 40 ? end : start + (end - start) * (i - 11) / 29.0).ToArray();

    private static double?[] Series(Func<int, double?> value) => Enumerable.Range(0, Weeks).Select(value).ToArray();

    private static DemoTeamHistory Assemble(
        string teamId,
        IReadOnlyList<IsoWeek> weeks,
        MeasureSet set,
        Dictionary<string, double?[]> entered,
        Dictionary<string, double?[]> imported,
        IReadOnlyDictionary<int, string> comments)
    {
        var result = new List<DemoWeek>();
        for (var i = 0; i < Weeks; i++)
        {
            result.Add(new DemoWeek(
                weeks[i],
                Fit(set, entered, i),
                Fit(set, imported, i),
                comments.GetValueOrDefault(i)));
        }
        return new DemoTeamHistory(teamId, result);
    }

    /// <summary>The week's values, rounded to each measure's decimals and kept inside its range; measures without a value that week are left out.</summary>
    private static Dictionary<string, double?> Fit(MeasureSet set, Dictionary<string, double?[]> series, int index)
    {
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var (key, points) in series)
        {
            if (points[index] is not { } raw) continue;
            var measure = set[key];
            var value = Math.Round(raw, measure.IsInteger ? 0 : measure.Decimals, MidpointRounding.AwayFromZero);
            value = Math.Clamp(value, measure.Min ?? double.MinValue, measure.Max ?? double.MaxValue);
            values[key] = value == 0 ? 0 : value;
        }
        return values;
    }

    /// <summary>Seeded randomness: the same seed gives the same demo, on every machine and .NET version.</summary>
    private sealed class Generator(int seed)
    {
        private readonly Random _random = new(seed);

        /// <summary>Normal noise with the given standard deviation, cut off at ±<paramref name="clip"/> (no wild points unless placed on purpose).</summary>
        public double Noise(double deviation, double? clip = null)
        {
            // Box–Muller.
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            var value = deviation * normal;
            return clip is { } limit ? Math.Clamp(value, -limit, limit) : value;
        }

        /// <summary>A count with the given mean (Knuth's method; the means here are small).</summary>
        public double Poisson(double mean)
        {
            var limit = Math.Exp(-mean);
            var count = 0;
            var product = _random.NextDouble();
            while (product > limit)
            {
                count++;
                product *= _random.NextDouble();
            }
            return count;
        }
    }
}
