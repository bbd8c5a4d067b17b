using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Measures;

/// <summary>
/// One line of the box score. Definitions are plain data; <see cref="MeasureSet.Validate"/> reports
/// everything wrong with them at once, so an admin can fix a set in one go.
/// </summary>
public sealed record MeasureDefinition
{
    /// <summary>A lower camelCase identifier (<c>fallsWithHarm</c>), used in formulas, storage and forms.</summary>
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required MeasureUnit Unit { get; init; }
    public required MeasureCategory Category { get; init; }
    public required MeasureDirection Direction { get; init; }

    public double? Target { get; init; }

    /// <summary>How far on the wrong side of the target is still amber, in the measure's unit.</summary>
    public double? AmberTolerance { get; init; }

    /// <summary>The amber tolerance as a percentage of the target instead (10 = 10% of the target). At most one of the two.</summary>
    public double? AmberTolerancePercent { get; init; }

    /// <summary>Decimal places shown on cards (0 to 6).</summary>
    public int Decimals { get; init; }

    public double? Min { get; init; }
    public double? Max { get; init; }
    public bool IsInteger { get; init; }

    /// <summary>Whether the weekly form requires it. Only entered measures can be required.</summary>
    public bool IsRequired { get; init; }

    public MeasureSource Source { get; init; } = MeasureSource.Entered;

    /// <summary>For derived measures: an expression over other measures' keys, such as <c>totalCost / patientsAdmitted</c>.</summary>
    public string? Formula { get; init; }

    /// <summary>Null for a weekly measure; otherwise the measure is sampled every this many weeks (2 to 52).</summary>
    public int? SampleEveryWeeks { get; init; }

    public bool IsEntered => Source == MeasureSource.Entered;
    public bool IsImported => Source == MeasureSource.Imported;
    public bool IsDerived => Source == MeasureSource.Derived;
    public bool IsSampled => SampleEveryWeeks is not null;

    /// <summary>
    /// The amber tolerance in the measure's unit, whichever way it was given; 0 when none was given
    /// (then anything on the wrong side of the target is red); null without a target.
    /// </summary>
    public double? AmberToleranceInUnit =>
        Target is not { } target ? null
        : AmberTolerance ?? (AmberTolerancePercent is { } percent ? Math.Abs(target) * percent / 100 : 0);

    /// <summary>
    /// Whether the form should ask for this measure in <paramref name="week"/>. A weekly measure always
    /// is due. A sampled one is due when it has never been sampled, in the week it was last sampled
    /// (to correct it), and once <see cref="SampleEveryWeeks"/> weeks have passed since.
    /// </summary>
    /// <param name="lastSampledWeek">The latest week up to <paramref name="week"/> that has a value for this measure.</param>
    public bool IsDueIn(IsoWeek week, IsoWeek? lastSampledWeek)
    {
        if (SampleEveryWeeks is not { } every || lastSampledWeek is not { } last) return true;
        var since = week.WeeksSince(last);
        return since == 0 || since >= every;
    }
}
