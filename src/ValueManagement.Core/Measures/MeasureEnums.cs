namespace ValueManagement.Core.Measures;

public enum MeasureUnit
{
    Count,
    Percent,
    Pounds,
    Hours,
    Days,
    /// <summary>Whole-time equivalent staff.</summary>
    Wte,
    Rate,
}

/// <summary>The four blocks of the box score, in the order the card shows them.</summary>
public enum MeasureCategory
{
    Performance,
    Capacity,
    Cost,
    Activity,
}

public enum MeasureDirection
{
    LowerIsBetter,
    HigherIsBetter,
    /// <summary>No good or bad direction (for example occupied bed days): changes are neutral.</summary>
    Neither,
}

public enum MeasureSource
{
    /// <summary>Typed in by the team on the weekly form.</summary>
    Entered,
    /// <summary>Loaded from finance or workforce extracts; may arrive after the team has submitted.</summary>
    Imported,
    /// <summary>Computed from other measures by a <see cref="Formula"/>.</summary>
    Derived,
}

public static class MeasureCategoryNames
{
    public static string DisplayName(this MeasureCategory category) => category switch
    {
        MeasureCategory.Performance => "Performance: quality, safety, experience",
        MeasureCategory.Capacity => "Capacity: workforce",
        MeasureCategory.Cost => "Cost",
        MeasureCategory.Activity => "Activity and productivity",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };
}
