using ValueManagement.Core.Measures;

namespace ValueManagement.Core.Tests.Measures;

public class MeasureSetTests
{
    private static readonly MeasureDefinition Falls = new()
    {
        Key = "falls", Name = "Falls", Unit = MeasureUnit.Count, Category = MeasureCategory.Performance,
        Direction = MeasureDirection.LowerIsBetter, Target = 1, AmberTolerance = 1, IsInteger = true, Min = 0, Max = 50, IsRequired = true,
    };

    private static readonly MeasureDefinition PayCost = new()
    {
        Key = "payCost", Name = "Pay cost", Unit = MeasureUnit.Pounds, Category = MeasureCategory.Cost,
        Direction = MeasureDirection.LowerIsBetter, Source = MeasureSource.Imported, Min = 0,
    };

    private static readonly MeasureDefinition NonPayCost = PayCost with { Key = "nonPayCost", Name = "Non-pay cost" };

    private static readonly MeasureDefinition Patients = new()
    {
        Key = "patients", Name = "Patients", Unit = MeasureUnit.Count, Category = MeasureCategory.Activity,
        Direction = MeasureDirection.HigherIsBetter, IsInteger = true, Min = 0, IsRequired = true,
    };

    private static MeasureDefinition Derived(string key, string? formula) => new()
    {
        Key = key, Name = key, Unit = MeasureUnit.Pounds, Category = MeasureCategory.Cost,
        Direction = MeasureDirection.LowerIsBetter, Source = MeasureSource.Derived, Formula = formula, Decimals = 2,
    };

    // Listed with the headline first to show that Compute does not depend on the order of the list.
    private static readonly MeasureSet Ward = new("ward", "Ward",
    [
        Derived("costPerPatient", "totalCost / patients"),
        Falls,
        PayCost,
        NonPayCost,
        Derived("totalCost", "payCost + nonPayCost"),
        Patients,
    ]);

    private static MeasureSet With(params MeasureDefinition[] measures) => new("set", "Set", measures);

    private static string SingleProblem(MeasureSet set) => Assert.Single(set.Validate()).Message;

    [Fact]
    public void Validate_GoodSet_HasNoProblems()
    {
        Assert.Empty(Ward.Validate());
    }

    [Fact]
    public void Validate_SetWithoutIdNameOrMeasures_ReportsEach()
    {
        var problems = new MeasureSet(" ", "", []).Validate().Select(p => p.Message);

        Assert.Equal(new[] { "The measure set needs an id.", "The measure set needs a name.", "The measure set has no measures." }, problems);
    }

    [Fact]
    public void Validate_DuplicateKeys_Reported()
    {
        var problem = Assert.Single(With(Falls, Falls with { Name = "Falls again" }).Validate());

        Assert.Equal("falls", problem.MeasureKey);
        Assert.Equal("The key 'falls' is used by 2 measures; keys must be unique, ignoring case.", problem.Message);
    }

    [Fact]
    public void Validate_KeysDifferingOnlyInCase_AreDuplicates()
    {
        Assert.Equal(
            "The key 'fallsWithHarm' / 'fallswithHarm' is used by 2 measures; keys must be unique, ignoring case.",
            SingleProblem(With(Falls with { Key = "fallsWithHarm" }, Falls with { Key = "fallswithHarm" })));
    }

    [Theory]
    [InlineData("Falls")]
    [InlineData("falls_with_harm")]
    [InlineData("falls-with-harm")]
    [InlineData("1falls")]
    [InlineData("")]
    [InlineData("falls with harm")]
    [InlineData("aVeryLongMeasureKeyThatGoesOnAndOnForever")]
    public void Validate_KeyNotLowerCamelCase_Reported(string key)
    {
        Assert.Equal(
            $"'Falls' ({key}): the key must be lower camelCase: a lower-case letter, then letters or digits, at most 40 characters (for example fallsWithHarm).",
            SingleProblem(With(Falls with { Key = key })));
    }

    [Theory]
    [InlineData("falls")]
    [InlineData("fallsWithHarm")]
    [InlineData("rn2DirectCare")]
    [InlineData("x")]
    public void Validate_LowerCamelCaseKeys_Accepted(string key)
    {
        Assert.Empty(With(Falls with { Key = key }).Validate());
    }

    [Fact]
    public void Validate_BlankName_Reported()
    {
        Assert.Equal("'falls': the measure needs a name.", SingleProblem(With(Falls with { Name = " " })));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(7)]
    public void Validate_DecimalsOutOfRange_Reported(int decimals)
    {
        Assert.Equal($"'Patients' (patients): decimals must be between 0 and 6, not {decimals}.",
            SingleProblem(With(Patients with { Decimals = decimals, IsInteger = false })));
    }

    [Fact]
    public void Validate_WholeNumberWithDecimals_Reported()
    {
        Assert.Equal("'Falls' (falls): a whole-number measure must have 0 decimals.", SingleProblem(With(Falls with { Decimals = 1 })));
    }

    [Fact]
    public void Validate_MinAboveMax_Reported()
    {
        Assert.Equal("'Falls' (falls): the minimum (10) is greater than the maximum (5).",
            SingleProblem(With(Falls with { Min = 10, Max = 5, Target = null, AmberTolerance = null })));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(51)]
    public void Validate_TargetOutsideRange_Reported(double target)
    {
        Assert.Equal($"'Falls' (falls): the target ({target}) is outside the allowed range.", SingleProblem(With(Falls with { Target = target })));
    }

    [Fact]
    public void Validate_NonFiniteNumbers_Reported()
    {
        var problems = With(Falls with { Target = double.NaN, Max = double.PositiveInfinity }).Validate().Select(p => p.Message).ToList();

        Assert.Contains("'Falls' (falls): the target must be a finite number.", problems);
        Assert.Contains("'Falls' (falls): the maximum must be a finite number.", problems);
    }

    [Fact]
    public void Validate_BothTolerances_Reported()
    {
        Assert.Equal("'Falls' (falls): give the amber tolerance either in the unit or as a percentage of the target, not both.",
            SingleProblem(With(Falls with { AmberTolerancePercent = 10 })));
    }

    [Fact]
    public void Validate_NegativeTolerance_Reported()
    {
        Assert.Equal("'Falls' (falls): the amber tolerance must not be negative.", SingleProblem(With(Falls with { AmberTolerance = -1 })));
    }

    [Fact]
    public void Validate_ToleranceWithoutTarget_Reported()
    {
        Assert.Equal("'Falls' (falls): an amber tolerance needs a target.", SingleProblem(With(Falls with { Target = null })));
    }

    [Fact]
    public void Validate_PercentToleranceOfZeroTarget_Reported()
    {
        Assert.Equal("'Falls' (falls): an amber tolerance as a percentage of a target of 0 is always 0: give it in the unit instead.",
            SingleProblem(With(Falls with { Target = 0, AmberTolerance = null, AmberTolerancePercent = 10 })));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(53)]
    public void Validate_SampleIntervalOutOfRange_Reported(int weeks)
    {
        Assert.Equal($"'Falls' (falls): a sampled measure is sampled every 2 to 52 weeks, not every {weeks}; leave it empty for a weekly measure.",
            SingleProblem(With(Falls with { SampleEveryWeeks = weeks })));
    }

    [Fact]
    public void Validate_RequiredImportedMeasure_Reported()
    {
        Assert.Equal("'Pay cost' (payCost): only measures the team enters can be required; this one is imported.",
            SingleProblem(With(PayCost with { IsRequired = true })));
    }

    [Fact]
    public void Validate_DerivedWithoutFormula_Reported()
    {
        Assert.Equal("'totalCost' (totalCost): a derived measure needs a formula.", SingleProblem(With(PayCost, Derived("totalCost", " "))));
    }

    [Fact]
    public void Validate_FormulaOnEnteredMeasure_Reported()
    {
        Assert.Equal("'Falls' (falls): only derived measures have a formula.", SingleProblem(With(Falls with { Formula = "1 + 1" })));
    }

    [Fact]
    public void Validate_FormulaWithUnknownMeasure_NamesItAndPosition()
    {
        Assert.Equal("'totalCost' (totalCost): the formula 'payCost + nonPay' has a problem: unknown measure 'nonPay' at position 11.",
            SingleProblem(With(PayCost, Derived("totalCost", "payCost + nonPay"))));
    }

    [Fact]
    public void Validate_FormulaSyntaxError_Reported()
    {
        Assert.Equal("'totalCost' (totalCost): the formula 'payCost +' has a problem: the formula ends too soon: expected a measure, a number or '(' at position 10.",
            SingleProblem(With(PayCost, Derived("totalCost", "payCost +"))));
    }

    [Fact]
    public void Validate_FormulaReferringToItself_Reported()
    {
        Assert.Equal("'totalCost' (totalCost): the formula refers to the measure itself.",
            SingleProblem(With(PayCost, Derived("totalCost", "payCost + totalCost"))));
    }

    [Fact]
    public void Validate_CircularDerivedMeasures_NamesTheCircleOnce()
    {
        var set = With(PayCost, Derived("a", "b + payCost"), Derived("b", "c * 2"), Derived("c", "a / 2"));

        var problem = Assert.Single(set.Validate());
        Assert.Equal("Derived measures refer to each other in a circle, so none of them can be computed: a → b → c → a.", problem.Message);
    }

    [Fact]
    public void Validate_ReportsAllProblemsAtOnce()
    {
        var set = With(
            Falls with { Min = 10, Max = 5, AmberTolerancePercent = 5 },
            PayCost with { IsRequired = true },
            Derived("totalCost", null));

        Assert.Equal(5, set.Validate().Count); // min > max, target outside range, both tolerances, required imported, no formula
    }

    [Fact]
    public void Compute_FillsDerivedInDependencyOrder()
    {
        var values = Ward.Compute(new Dictionary<string, double?> { ["payCost"] = 40000, ["nonPayCost"] = 3850, ["patients"] = 100, ["falls"] = 2 });

        Assert.Equal(43850, values["totalCost"]);
        Assert.Equal(438.5, values["costPerPatient"]);
        Assert.Equal(2, values["falls"]);
    }

    [Fact]
    public void Compute_MissingInput_DerivedIsNull()
    {
        var values = Ward.Compute(new Dictionary<string, double?> { ["payCost"] = 40000, ["patients"] = 100 });

        Assert.Null(values["nonPayCost"]);
        Assert.Null(values["totalCost"]);
        Assert.Null(values["costPerPatient"]);
    }

    [Fact]
    public void Compute_ZeroDenominator_DerivedIsNull()
    {
        var values = Ward.Compute(new Dictionary<string, double?> { ["payCost"] = 40000, ["nonPayCost"] = 3850, ["patients"] = 0 });

        Assert.Equal(43850, values["totalCost"]);
        Assert.Null(values["costPerPatient"]);
    }

    [Fact]
    public void Compute_IgnoresGivenDerivedValuesAndUnknownKeys()
    {
        var values = Ward.Compute(new Dictionary<string, double?> { ["payCost"] = 1, ["nonPayCost"] = 2, ["totalCost"] = 999, ["other"] = 5 });

        Assert.Equal(3, values["totalCost"]);
        Assert.False(values.ContainsKey("other"));
        Assert.Equal(Ward.Measures.Select(m => m.Key), values.Keys);
    }

    [Fact]
    public void ComputeColumns_EqualsComputeForEachWeek()
    {
        IReadOnlyDictionary<string, double?>[] weeks =
        [
            new Dictionary<string, double?> { ["payCost"] = 40000, ["nonPayCost"] = 3850, ["patients"] = 100, ["falls"] = 2 },
            new Dictionary<string, double?> { ["payCost"] = 40000, ["patients"] = 100 },
            new Dictionary<string, double?> { ["payCost"] = 40000, ["nonPayCost"] = 3850, ["patients"] = 0 },
            new Dictionary<string, double?> { ["payCost"] = 1, ["nonPayCost"] = 2, ["totalCost"] = 999, ["other"] = 5 },
            new Dictionary<string, double?> { ["payCost"] = double.NaN, ["nonPayCost"] = double.PositiveInfinity, ["patients"] = null },
            new Dictionary<string, double?>(),
        ];

        var columns = Ward.ComputeColumns(weeks);

        Assert.Equal(Ward.Measures.Count, columns.Length);
        for (var w = 0; w < weeks.Length; w++)
        {
            var expected = Ward.Compute(weeks[w]);
            Assert.Equal(Ward.Measures.Select(m => expected[m.Key]), columns.Select(c => c[w]));
        }
    }

    [Fact]
    public void Compute_CircularFormulas_Throws()
    {
        var set = With(Derived("a", "b"), Derived("b", "a"));

        var exception = Assert.Throws<InvalidOperationException>(() => set.Compute(new Dictionary<string, double?>()));
        Assert.Contains("circle", exception.Message);
    }

    [Fact]
    public void Compute_UnknownMeasureInFormula_Throws()
    {
        var set = With(Derived("a", "b + 1"));

        var exception = Assert.Throws<InvalidOperationException>(() => set.Compute(new Dictionary<string, double?>()));
        Assert.Equal("Cannot compute measure set 'set': the formula of 'a' is not usable: unknown measure 'b' at position 1.", exception.Message);
    }

    [Fact]
    public void Find_AndIndexer()
    {
        Assert.Same(Falls, Ward.Find("falls"));
        Assert.Null(Ward.Find("Falls"));
        Assert.Same(Patients, Ward["patients"]);
        Assert.Throws<KeyNotFoundException>(() => Ward["nothing"]);
    }
}
