using ValueManagement.Core.Measures;
using ValueManagement.Core.Submissions;

namespace ValueManagement.Core.Tests.Submissions;

public class SubmissionParserTests
{
    private static readonly MeasureSet Ward = DefaultMeasureSets.AcuteWard;

    /// <summary>A complete, valid form for the acute ward set, to change one field at a time.</summary>
    private static Dictionary<string, string?> Form(params (string Key, string? Value)[] changes)
    {
        var form = new Dictionary<string, string?>
        {
            ["falls"] = "2", ["fallsWithHarm"] = "0", ["pressureUlcers"] = "0", ["medicationIncidents"] = "1",
            ["complaints"] = "0", ["sicknessAbsence"] = "4.5", ["bankHours"] = "120.5", ["agencyHours"] = "0",
            ["vacanciesWte"] = "2.4", ["rnDirectCareTime"] = "", ["patientsAdmitted"] = "96",
            ["occupiedBedDays"] = "190", ["dischargesBeforeNoon"] = "35",
        };
        foreach (var (key, value) in changes) form[key] = value;
        return form;
    }

    private static string ErrorFor(string key, string? value)
    {
        var result = SubmissionParser.Parse(Ward, Form((key, value)));
        return Assert.Single(result.Errors, e => e.Key == key).Message;
    }

    [Fact]
    public void Parse_ValidForm_ReturnsEveryEnteredValue()
    {
        var result = SubmissionParser.Parse(Ward, Form());

        Assert.True(result.IsValid);
        Assert.Equal(2, result.Values["falls"]);
        Assert.Equal(4.5, result.Values["sicknessAbsence"]);
        Assert.Equal(120.5, result.Values["bankHours"]);
        Assert.Equal(96, result.Values["patientsAdmitted"]);
    }

    [Fact]
    public void Parse_BlankOptionalField_IsNotRecordedNeverZero()
    {
        var result = SubmissionParser.Parse(Ward, Form(("rnDirectCareTime", "  ")));

        Assert.True(result.IsValid);
        Assert.True(result.Values.ContainsKey("rnDirectCareTime"));
        Assert.Null(result.Values["rnDirectCareTime"]);
    }

    [Fact]
    public void Parse_OptionalFieldAbsentFromForm_IsLeftOut()
    {
        var form = Form();
        form.Remove("rnDirectCareTime");

        var result = SubmissionParser.Parse(Ward, form);

        Assert.True(result.IsValid);
        Assert.False(result.Values.ContainsKey("rnDirectCareTime"));
    }

    [Fact]
    public void Parse_UnknownKeys_Ignored()
    {
        var result = SubmissionParser.Parse(Ward, Form(("verb", "submit"), ("basedOnRevision", "3")));

        Assert.True(result.IsValid);
        Assert.False(result.Values.ContainsKey("verb"));
    }

    [Fact]
    public void Parse_ImportedAndDerivedMeasures_NeverTakenFromTheForm()
    {
        var result = SubmissionParser.Parse(Ward, Form(("payCost", "1"), ("totalCost", "2"), ("costPerPatientWeek", "oops")));

        Assert.True(result.IsValid);
        Assert.False(result.Values.ContainsKey("payCost"));
        Assert.False(result.Values.ContainsKey("totalCost"));
        Assert.False(result.Values.ContainsKey("costPerPatientWeek"));
    }

    [Theory]
    [InlineData("3.0", 3)]
    [InlineData(" 7 ", 7)]
    [InlineData("+4", 4)]
    [InlineData("-0", 0)]
    [InlineData("50", 50)]
    public void Parse_InvariantNumbers_Accepted(string text, double expected)
    {
        var result = SubmissionParser.Parse(Ward, Form(("falls", text)));

        Assert.True(result.IsValid);
        Assert.Equal(expected, result.Values["falls"]);
    }

    [Fact]
    public void Parse_NegativeZero_StoredAsZero()
    {
        var value = SubmissionParser.Parse(Ward, Form(("falls", "-0"))).Values["falls"]!.Value;

        Assert.False(double.IsNegative(value));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("51")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("∞")]
    [InlineData("3 4")]
    [InlineData("0x10")]
    [InlineData("three")]
    public void Parse_BadWholeNumber_SaysWhatIsAllowed(string text)
    {
        Assert.Equal("Falls must be a whole number between 0 and 50.", ErrorFor("falls", text));
    }

    [Theory]
    [InlineData("falls", "1e1", "Falls: write the number out in full, for example 170 or 0.5 (not 1e1): powers of ten are too easy to misread.")]
    [InlineData("bankHours", "1.7e2", "Bank hours: write the number out in full, for example 170 or 0.5 (not 1.7e2): powers of ten are too easy to misread.")]
    [InlineData("sicknessAbsence", "1e-320", "Sickness absence: write the number out in full, for example 170 or 0.5 (not 1e-320): powers of ten are too easy to misread.")]
    [InlineData("patientsAdmitted", "1E309", "Patients admitted: write the number out in full, for example 170 or 0.5 (not 1E309): powers of ten are too easy to misread.")]
    public void Parse_ScientificNotation_RefusedWithExplanation(string key, string text, string message)
    {
        Assert.Equal(message, ErrorFor(key, text));
    }

    [Theory]
    [InlineData("1,234")]
    [InlineData("12,5")]
    public void Parse_Commas_RefusedWithExplanation(string text)
    {
        Assert.Equal("Bank hours: write the number without commas, for example 1234 or 12.5 (not 1,234 or 12,5).", ErrorFor("bankHours", text));
    }

    [Theory]
    [InlineData("sicknessAbsence", "101", "Sickness absence must be a number between 0% and 100%.")]
    [InlineData("sicknessAbsence", "4.5%", "Sickness absence must be a number between 0% and 100%.")]
    [InlineData("bankHours", "3000.5", "Bank hours must be a number between 0 and 3000 hours.")]
    [InlineData("vacanciesWte", "-0.5", "Vacancies (WTE) must be a number between 0 and 100 WTE.")]
    [InlineData("occupiedBedDays", "190.5", "Occupied bed days must be a whole number between 0 and 1000 days.")]
    public void Parse_OutOfRange_NamesRangeAndUnit(string key, string text, string message)
    {
        Assert.Equal(message, ErrorFor(key, text));
    }

    [Fact]
    public void ExpectedValueMessage_OneSidedAndUnboundedRanges()
    {
        var pettyCash = new MeasureDefinition
        {
            Key = "pettyCash", Name = "Petty cash", Unit = MeasureUnit.Pounds, Category = MeasureCategory.Cost,
            Direction = MeasureDirection.LowerIsBetter, Min = 0,
        };

        Assert.Equal("Petty cash must be a number of at least £0.", SubmissionParser.ExpectedValueMessage(pettyCash));
        Assert.Equal("Petty cash must be a number of at most £500.", SubmissionParser.ExpectedValueMessage(pettyCash with { Min = null, Max = 500 }));
        Assert.Equal("Petty cash must be a number (£).", SubmissionParser.ExpectedValueMessage(pettyCash with { Min = null }));
        Assert.Equal("Petty cash must be a whole number.", SubmissionParser.ExpectedValueMessage(pettyCash with { Min = null, Unit = MeasureUnit.Count, IsInteger = true }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Parse_RequiredCountBlank_AsksForZeroIfNone(string? text)
    {
        Assert.Equal("Falls is required: enter 0 if there were none.", ErrorFor("falls", text));
    }

    [Fact]
    public void Parse_RequiredMeasureBlank_SaysRequired()
    {
        Assert.Equal("Sickness absence is required.", ErrorFor("sicknessAbsence", ""));
    }

    [Fact]
    public void Parse_RequiredMeasureAbsent_SaysRequired()
    {
        var form = Form();
        form.Remove("falls");

        var error = Assert.Single(SubmissionParser.Parse(Ward, form).Errors);
        Assert.Equal(new FieldError("falls", "Falls is required: enter 0 if there were none."), error);
    }

    [Fact]
    public void Parse_SeveralErrors_AllReportedInFormOrder()
    {
        var result = SubmissionParser.Parse(Ward, Form(("falls", "x"), ("complaints", ""), ("bankHours", "1,000")));

        Assert.False(result.IsValid);
        Assert.Equal(new[] { "falls", "complaints", "bankHours" }, result.Errors.Select(e => e.Key));
        Assert.False(result.Values.ContainsKey("falls"));
    }

    [Fact]
    public void Parse_MeasureNotDue_Ignored()
    {
        var form = Form(("rnDirectCareTime", "not a number"));

        var result = SubmissionParser.Parse(Ward, form, isDue: m => m.Key != "rnDirectCareTime");

        Assert.True(result.IsValid);
        Assert.False(result.Values.ContainsKey("rnDirectCareTime"));
    }
}
