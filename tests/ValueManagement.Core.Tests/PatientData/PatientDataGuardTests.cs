using ValueManagement.Core.PatientData;

namespace ValueManagement.Core.Tests.PatientData;

/// <remarks>
/// The CHI examples are built from the rule, not real people: a DDMMYY date, three digits, then the
/// modulus 11 check digit. 010190 123 → weights 10..2 give 86, 86 mod 11 = 9, check 11 − 9 = 2.
/// </remarks>
public class PatientDataGuardTests
{
    [Theory]
    [InlineData("9434765919")]
    [InlineData("943 476 5919")]
    [InlineData("943-476-5919")]
    [InlineData("943  476  5919")]
    [InlineData("943 - 476 - 5919")]
    [InlineData("943\u00A0476\u00A05919")]
    [InlineData("４０１０２３４５６３")] // full-width digits
    [InlineData("4010234563")]
    public void Find_ValidNhsNumbers_Detected(string text)
    {
        var match = Assert.Single(PatientDataGuard.Find(text));

        Assert.Equal(PatientIdentifierKind.NhsNumber, match.Kind);
        Assert.Equal(0, match.Index);
        Assert.Equal(text.Length, match.Length);
    }

    [Theory]
    [InlineData("0101901232")]      // 1 January 1990
    [InlineData("2902004567")]      // 29 February 2000
    [InlineData("3112998715")]      // 31 December 1999
    [InlineData("1506750028")]
    [InlineData("010190 1232")]     // DDMMYY then the rest
    [InlineData("01 01 90 1232")]
    [InlineData("01-01-90-1232")]
    public void Find_ValidChiNumbers_Detected(string text)
    {
        var match = Assert.Single(PatientDataGuard.Find(text));

        Assert.Equal(PatientIdentifierKind.Chi, match.Kind);
    }

    [Theory]
    [InlineData("2902014562")] // 29 February 2001 is not a date, but the check digit is right
    [InlineData("3201901237")] // day 32
    [InlineData("0113901232")] // month 13
    public void Find_CheckDigitRightButNoDate_IsAnNhsNumber(string text)
    {
        Assert.Equal(PatientIdentifierKind.NhsNumber, Assert.Single(PatientDataGuard.Find(text)).Kind);
    }

    [Theory]
    [InlineData("9434765918")]     // wrong check digit
    [InlineData("943 476 5910")]
    [InlineData("1234567890")]     // check digit would be 10: no valid number starts 123456789
    [InlineData("1234567891")]
    public void Find_WrongCheckDigit_NotDetected(string text)
    {
        Assert.Empty(PatientDataGuard.Find(text));
    }

    [Theory]
    [InlineData("0101901233")]       // CHI with wrong check digit: still a patient's identifier
    [InlineData("010190 1233")]
    [InlineData("01-01-90-1233")]
    [InlineData("3112991234")]
    public void Find_ChiWithWrongCheckDigit_DetectedAsChi(string text)
    {
        Assert.Equal(PatientIdentifierKind.Chi, Assert.Single(PatientDataGuard.Find(text)).Kind);
    }

    [Theory]
    [InlineData("94347659190")]     // 11 digits
    [InlineData("19434765919")]
    [InlineData("9434765919123")]
    [InlineData("943 476 59190")]   // groups make 11 digits
    [InlineData("1943 476 5919")]
    public void Find_PartOfALongerNumber_NotDetected(string text)
    {
        Assert.Empty(PatientDataGuard.Find(text));
    }

    [Theory]
    [InlineData("Phone the ward on 01463 704000 after 14:00.")]
    [InlineData("Pay cost £43,850 for 2026-W48; cost per patient £438.50")]
    [InlineData("Reviewed on 2026-11-30 at 09:00, 12 falls, 3 with harm")]
    [InlineData("Bank hours 120, agency 0, vacancies 2.4 WTE")]
    [InlineData("Datix 1234567 and 7654321 raised")]
    [InlineData("Call 0800 123 4567")]
    [InlineData("scores 9 4 3 4 7 6 5 9 1 9")] // single digits are not read as one number
    [InlineData("")]
    public void Find_OrdinaryFigures_NotDetected(string text)
    {
        Assert.Empty(PatientDataGuard.Find(text));
    }

    [Fact]
    public void Find_NumberInsideText_GivesItsPosition()
    {
        var text = "Fall for patient 943 476 5919 on bay 3";

        var match = Assert.Single(PatientDataGuard.Find(text));

        Assert.Equal(17, match.Index);
        Assert.Equal(12, match.Length);
    }

    [Fact]
    public void Find_PrecededByAnotherNumber_StillFindsTheIdentifier()
    {
        var match = Assert.Single(PatientDataGuard.Find("bed 12 943 476 5919"));

        Assert.Equal(7, match.Index);
    }

    [Fact]
    public void Find_SeveralIdentifiers_FindsEach()
    {
        var matches = PatientDataGuard.Find("9434765919 and CHI 0101901232");

        Assert.Equal(new[] { PatientIdentifierKind.NhsNumber, PatientIdentifierKind.Chi }, matches.Select(m => m.Kind));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Two falls, both at night; new sensor mats being tested (PDSA 3).")]
    public void Check_CleanText_IsNull(string? text)
    {
        Assert.Null(PatientDataGuard.Check(text));
    }

    [Fact]
    public void Check_ChiNumber_RefusesWithoutRepeatingIt()
    {
        var message = PatientDataGuard.Check("Fall: CHI 0101901232, bay 2");

        Assert.Equal(
            "This text seems to contain a CHI number, a patient identifier, at characters 11 to 20. "
            + "Only totals and figures belong here, never details that identify a patient: please remove it and send again.",
            message);
        Assert.DoesNotContain("0101901232", message);
    }

    [Fact]
    public void Check_NhsNumber_SaysNhsNumberAndCountsTheRest()
    {
        var message = PatientDataGuard.Check("943 476 5919 / 401-023-4563");

        Assert.StartsWith("This text seems to contain an NHS number, a patient identifier, at characters 1 to 12 (and 1 more).", message);
    }

    [Theory]
    [InlineData("9434765919", true)]
    [InlineData("9434765918", false)]
    [InlineData("0000000000", true)]  // sum 0: check 11 counts as 0
    [InlineData("123456789", false)]  // too short
    [InlineData("94347659a9", false)]
    public void HasValidCheckDigit_Modulus11(string digits, bool valid)
    {
        Assert.Equal(valid, PatientDataGuard.HasValidCheckDigit(digits));
    }

    [Theory]
    [InlineData("290200", true)]
    [InlineData("290296", true)]
    [InlineData("290201", false)]
    [InlineData("310490", false)]
    [InlineData("300490", true)]
    [InlineData("000190", false)]
    [InlineData("011290", true)]
    [InlineData("010090", false)]
    public void StartsWithValidDate_DDMMYY(string digits, bool valid)
    {
        Assert.Equal(valid, PatientDataGuard.StartsWithValidDate(digits));
    }
}
