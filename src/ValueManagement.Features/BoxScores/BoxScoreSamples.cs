using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// Sample box scores for unit tests and benchmarks, and the 30-measure set the card gallery stores for its largest box score: Ward 7 (inpatient respiratory) with a year of figures in which cost per
/// patient per week falls 21% to £438.50 (the published NHS Highland result), and a 30-measure set at full size.
/// Values follow fixed formulas, so every build draws the same cards.
/// </summary>
public static class BoxScoreSamples
{
    public static TeamProfile Ward7 => CardSamples.Ward7;
    public static IsoWeek Week => CardSamples.Week;

    /// <summary>The default acute-ward set plus 13 more measures: the largest box score a team is expected to keep.</summary>
    public static MeasureSet ThirtyMeasureSet { get; } = new("acute-ward-30", "Acute ward (extended)",
    [
        .. DefaultMeasureSets.AcuteWard.Measures,
        Extra("cauti", "Catheter-associated urinary tract infections", MeasureCategory.Performance, MeasureDirection.LowerIsBetter, 0, 1),
        Extra("harmFreeDays", "Harm-free days", MeasureCategory.Performance, MeasureDirection.HigherIsBetter, 7, 1),
        Extra("wouldRecommend", "Patients who would recommend the ward (%)", MeasureCategory.Performance, MeasureDirection.HigherIsBetter, 90, 5, MeasureUnit.Percent),
        Extra("deteriorationResponses", "Deteriorating patient escalations", MeasureCategory.Performance, MeasureDirection.Neither, null, null),
        Extra("overtimeHours", "Overtime hours", MeasureCategory.Capacity, MeasureDirection.LowerIsBetter, 40, 10, MeasureUnit.Hours),
        Extra("staffTurnover", "Staff turnover (%)", MeasureCategory.Capacity, MeasureDirection.LowerIsBetter, 8, 2, MeasureUnit.Percent),
        Extra("mandatoryTraining", "Mandatory training compliance (%)", MeasureCategory.Capacity, MeasureDirection.HigherIsBetter, 90, 5, MeasureUnit.Percent),
        Extra("drugsCost", "Drugs cost", MeasureCategory.Cost, MeasureDirection.LowerIsBetter, 2000, null, MeasureUnit.Pounds, 10),
        Extra("suppliesCost", "Clinical supplies cost", MeasureCategory.Cost, MeasureDirection.LowerIsBetter, 1500, null, MeasureUnit.Pounds, 10),
        Extra("delayedDischarges", "Delayed discharges", MeasureCategory.Activity, MeasureDirection.LowerIsBetter, 2, 1),
        Extra("lengthOfStay", "Average length of stay (days)", MeasureCategory.Activity, MeasureDirection.LowerIsBetter, 6, 1, MeasureUnit.Days),
        Extra("readmissions", "Readmissions within 28 days", MeasureCategory.Activity, MeasureDirection.LowerIsBetter, 2, 1),
        Extra("boardRounds", "Board rounds held before 10:00 (%)", MeasureCategory.Activity, MeasureDirection.HigherIsBetter, 95, 5, MeasureUnit.Percent),
    ]);

    /// <summary>52 weeks up to <paramref name="endingWith"/> (else <see cref="Week"/>) for <paramref name="set"/>: cost falls, falls improve, the rest wobble.</summary>
    public static IReadOnlyList<WeekValues> History(MeasureSet set, int weeks = 52, bool financeLate = false, IsoWeek? endingWith = null)
    {
        var last = endingWith ?? Week;
        var history = new List<WeekValues>(weeks);
        for (var i = 0; i < weeks; i++)
        {
            var week = last.AddWeeks(i - weeks + 1);
            var progress = (double)i / (weeks - 1);
            var wobble = Math.Sin(i * 1.7) * 0.5 + Math.Cos(i * 0.9) * 0.5;
            var patients = Math.Round(29 + 3 * wobble);
            var costPerPatient = 555 - 116.5 * Math.Min(1, progress * 1.15) + 12 * wobble;
            if (i == weeks - 1) costPerPatient = 438.5;
            var total = costPerPatient * patients;
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var measure in set.Measures.Where(m => !m.IsDerived))
            {
                values[measure.Key] = measure.Key switch
                {
                    "patientsAdmitted" => patients,
                    "payCost" => Math.Round(total * 0.86, 2),
                    "nonPayCost" => Math.Round(total - Math.Round(total * 0.86, 2), 2),
                    "falls" => Math.Max(0, Math.Round(3 - 2.5 * progress + wobble)),
                    "rnDirectCareTime" => i % 8 == 3 ? Math.Round(48 + 14 * progress) : null,
                    _ => Typical(measure, wobble, i),
                };
            }
            if (financeLate && i == weeks - 1)
            {
                values.Remove("payCost");
                values.Remove("nonPayCost");
            }
            history.Add(new WeekValues(week, values));
        }
        return history;
    }

    public static BoxScore Ward7BoxScore() => BoxScoreCalculator.Compute(DefaultMeasureSets.AcuteWard, Week, History(DefaultMeasureSets.AcuteWard));

    public static BoxScore Ward7AwaitingFinance() => BoxScoreCalculator.Compute(DefaultMeasureSets.AcuteWard, Week, History(DefaultMeasureSets.AcuteWard, financeLate: true));

    public static BoxScore ThirtyMeasures() => BoxScoreCalculator.Compute(ThirtyMeasureSet, Week, History(ThirtyMeasureSet));

    public static BoxScore NoFiguresYet() => BoxScoreCalculator.Compute(DefaultMeasureSets.AcuteWard, Week.Next(), History(DefaultMeasureSets.AcuteWard));

    /// <summary>A board of 45 teams in 3 services, so the roll-up shows its first page of 20 and a "more" button.</summary>
    public static Rollup Rollup()
    {
        string[] services = ["Medicine", "Surgery", "Mental health"];
        var teams = new List<RollupTeam>();
        for (var i = 0; i < 45; i++)
        {
            var service = services[i % services.Length];
            var history = History(DefaultMeasureSets.AcuteWard, 30)
                .Select((w, n) => w with { Values = w.Values.ToDictionary(v => v.Key, v => v.Value is not { } x ? v.Value
                    : v.Key == "nonPayCost" ? x * (0.6 + i % 7 * 0.15)
                    : v.Key == "sicknessAbsence" && i % 4 == 0 && n >= 22 ? x + 3
                    : x) })
                .ToList();
            teams.Add(new RollupTeam($"team-{i + 1}", $"{service} ward {i / services.Length + 1}", service.ToLowerInvariant().Replace(' ', '-'), service, DefaultMeasureSets.AcuteWard, history));
        }
        return RollupCalculator.Compute(teams, Week);
    }

    private static double? Typical(MeasureDefinition measure, double wobble, int i)
    {
        var centre = measure.Target ?? (measure.Max is { } max ? max / 5 : 10);
        var spread = measure.AmberToleranceInUnit is { } tolerance && tolerance > 0 ? tolerance : Math.Max(1, Math.Abs(centre) * 0.1);
        var value = centre + spread * 1.2 * wobble + (i % 5 == 0 ? spread : 0);
        if (measure.Min is { } min) value = Math.Max(min, value);
        if (measure.Max is { } upper) value = Math.Min(upper, value);
        return measure.IsInteger || measure.Unit == MeasureUnit.Count ? Math.Round(value) : Math.Round(value, Math.Clamp(measure.Decimals, 0, 2));
    }

    private static MeasureDefinition Extra(string key, string name, MeasureCategory category, MeasureDirection direction, double? target, double? tolerance, MeasureUnit unit = MeasureUnit.Count, double? tolerancePercent = null) => new()
    {
        Key = key, Name = name, Unit = unit, Category = category, Direction = direction, Target = target,
        AmberTolerance = tolerancePercent is null ? tolerance : null, AmberTolerancePercent = tolerancePercent,
        IsInteger = unit == MeasureUnit.Count, Decimals = unit is MeasureUnit.Percent or MeasureUnit.Days ? 1 : 0,
        Min = 0, Max = unit == MeasureUnit.Percent ? 100 : 100_000, IsRequired = false,
    };
}
