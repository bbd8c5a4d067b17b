namespace ValueManagement.Core.Measures;

/// <summary>Ready-made measure sets a team can start from; admins adjust targets to local plans.</summary>
public static class DefaultMeasureSets
{
    /// <summary>
    /// A typical acute adult inpatient ward (about 28 beds). Targets are starting points, not
    /// standards: falls with harm, pressure ulcers and agency hours aim at zero; sickness absence
    /// at the NHS Scotland 4% standard. Pay and non-pay cost come from the finance extract; the
    /// headline, cost per patient per week, is derived from them and the patients admitted.
    /// </summary>
    public static MeasureSet AcuteWard { get; } = new("acute-ward", "Acute ward",
    [
        // Performance: quality, safety, experience
        Count("falls", "Falls", MeasureCategory.Performance, target: 1, tolerance: 1, max: 50),
        Count("fallsWithHarm", "Falls with harm", MeasureCategory.Performance, target: 0, tolerance: null, max: 20),
        Count("pressureUlcers", "Pressure ulcers (hospital acquired)", MeasureCategory.Performance, target: 0, tolerance: 1, max: 20),
        Count("medicationIncidents", "Medication incidents", MeasureCategory.Performance, target: 1, tolerance: 1, max: 50),
        Count("complaints", "Complaints", MeasureCategory.Performance, target: 0, tolerance: 1, max: 20),

        // Capacity: workforce
        new MeasureDefinition
        {
            Key = "sicknessAbsence", Name = "Sickness absence", Unit = MeasureUnit.Percent,
            Category = MeasureCategory.Capacity, Direction = MeasureDirection.LowerIsBetter,
            Target = 4, AmberTolerance = 1, Decimals = 1, Min = 0, Max = 100, IsRequired = true,
        },
        new MeasureDefinition
        {
            Key = "bankHours", Name = "Bank hours", Unit = MeasureUnit.Hours,
            Category = MeasureCategory.Capacity, Direction = MeasureDirection.LowerIsBetter,
            Target = 150, AmberTolerancePercent = 20, Decimals = 1, Min = 0, Max = 3000, IsRequired = true,
        },
        new MeasureDefinition
        {
            Key = "agencyHours", Name = "Agency hours", Unit = MeasureUnit.Hours,
            Category = MeasureCategory.Capacity, Direction = MeasureDirection.LowerIsBetter,
            Target = 0, AmberTolerance = 12, Decimals = 1, Min = 0, Max = 3000, IsRequired = true,
        },
        new MeasureDefinition
        {
            Key = "vacanciesWte", Name = "Vacancies (WTE)", Unit = MeasureUnit.Wte,
            Category = MeasureCategory.Capacity, Direction = MeasureDirection.LowerIsBetter,
            Target = 2, AmberTolerance = 1, Decimals = 2, Min = 0, Max = 100, IsRequired = true,
        },
        new MeasureDefinition
        {
            Key = "rnDirectCareTime", Name = "Registered nurse time in direct care", Unit = MeasureUnit.Percent,
            Category = MeasureCategory.Capacity, Direction = MeasureDirection.HigherIsBetter,
            Target = 60, AmberTolerance = 10, Decimals = 0, Min = 0, Max = 100, SampleEveryWeeks = 8,
        },

        // Cost
        Pounds("payCost", "Pay cost", MeasureSource.Imported, formula: null, decimals: 0, max: 1_000_000),
        Pounds("nonPayCost", "Non-pay cost", MeasureSource.Imported, formula: null, decimals: 0, max: 1_000_000),
        Pounds("totalCost", "Total cost", MeasureSource.Derived, formula: "payCost + nonPayCost", decimals: 0, max: null),
        Pounds("costPerPatientWeek", "Cost per patient per week", MeasureSource.Derived, formula: "totalCost / patientsAdmitted", decimals: 2, max: null) with
        {
            Target = 450, AmberTolerancePercent = 5,
        },

        // Activity and productivity
        new MeasureDefinition
        {
            Key = "patientsAdmitted", Name = "Patients admitted", Unit = MeasureUnit.Count,
            Category = MeasureCategory.Activity, Direction = MeasureDirection.HigherIsBetter,
            IsInteger = true, Min = 0, Max = 500, IsRequired = true,
        },
        new MeasureDefinition
        {
            Key = "occupiedBedDays", Name = "Occupied bed days", Unit = MeasureUnit.Days,
            Category = MeasureCategory.Activity, Direction = MeasureDirection.Neither,
            IsInteger = true, Min = 0, Max = 1000, IsRequired = true,
        },
        new MeasureDefinition
        {
            Key = "dischargesBeforeNoon", Name = "Discharges before noon", Unit = MeasureUnit.Percent,
            Category = MeasureCategory.Activity, Direction = MeasureDirection.HigherIsBetter,
            Target = 40, AmberTolerance = 10, Decimals = 0, Min = 0, Max = 100, IsRequired = true,
        },
    ]);

    private static MeasureDefinition Count(string key, string name, MeasureCategory category, double target, double? tolerance, double max) => new()
    {
        Key = key, Name = name, Unit = MeasureUnit.Count, Category = category,
        Direction = MeasureDirection.LowerIsBetter, Target = target, AmberTolerance = tolerance,
        IsInteger = true, Min = 0, Max = max, IsRequired = true,
    };

    private static MeasureDefinition Pounds(string key, string name, MeasureSource source, string? formula, int decimals, double? max) => new()
    {
        Key = key, Name = name, Unit = MeasureUnit.Pounds, Category = MeasureCategory.Cost,
        Direction = MeasureDirection.LowerIsBetter, Source = source, Formula = formula,
        Decimals = decimals, Min = source == MeasureSource.Derived ? null : 0, Max = max,
    };
}
