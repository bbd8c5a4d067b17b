using ValueManagement.Core.Measures;

namespace ValueManagement.Core.Tests.Measures;

public class FormulaTests
{
    private static readonly string[] Keys = ["payCost", "nonPayCost", "patients", "a", "b", "c"];

    private static double? Eval(string text, params (string Key, double? Value)[] values) =>
        Formula.Parse(text).Evaluate(values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void Evaluate_CostPerPatient()
    {
        var formula = Formula.Parse("(payCost + nonPayCost) / patients", Keys);

        var value = formula.Evaluate(new Dictionary<string, double?> { ["payCost"] = 40000, ["nonPayCost"] = 3850, ["patients"] = 100 });

        Assert.Equal(438.5, value);
    }

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("100 / 10 / 5", 2)]
    [InlineData("2 * 3 + 4 * 5", 26)]
    [InlineData("-2 * 3", -6)]
    [InlineData("-(2 + 3)", -5)]
    [InlineData("4 - -2", 6)]
    [InlineData("--3", 3)]
    [InlineData("((7))", 7)]
    [InlineData("0.5 * 8", 4)]
    [InlineData(".25 * 8", 2)]
    [InlineData("1+2*3-4/2", 5)]
    public void Evaluate_PrecedenceAndAssociativity(string text, double expected)
    {
        Assert.Equal(expected, Eval(text));
    }

    [Fact]
    public void Evaluate_MeasuresWithPrecedence()
    {
        Assert.Equal(14, Eval("a + b * c", ("a", 2), ("b", 3), ("c", 4)));
        Assert.Equal(20, Eval("(a + b) * c", ("a", 2), ("b", 3), ("c", 4)));
        Assert.Equal(-1, Eval("a - b", ("a", 2), ("b", 3)));
    }

    [Fact]
    public void Evaluate_MissingOrNullInput_IsNull()
    {
        Assert.Null(Eval("a + b", ("a", 2)));
        Assert.Null(Eval("a + b", ("a", 2), ("b", null)));
    }

    [Fact]
    public void Evaluate_ZeroDenominator_IsNull()
    {
        Assert.Null(Eval("a / b", ("a", 2), ("b", 0)));
        Assert.Null(Eval("0 / b", ("b", 0)));
        Assert.Null(Eval("a / (b - b)", ("a", 2), ("b", 5)));
        Assert.Null(Eval("1 + a / 0", ("a", 2)));
    }

    [Fact]
    public void Evaluate_Overflow_IsNull()
    {
        Assert.Null(Eval("a * a", ("a", 1e200)));
    }

    [Fact]
    public void Evaluate_ZeroNumerator_IsZero()
    {
        Assert.Equal(0, Eval("a / b", ("a", 0), ("b", 4)));
    }

    [Fact]
    public void Dependencies_EachKeyOnceInOrderOfAppearance()
    {
        var formula = Formula.Parse("(b + a) / b * 2 + c");

        Assert.Equal(new[] { "b", "a", "c" }, formula.Dependencies);
        Assert.Empty(Formula.Parse("1 + 2").Dependencies);
    }

    [Fact]
    public void Text_AndToString_KeepTheOriginal()
    {
        var formula = Formula.Parse("payCost+nonPayCost");

        Assert.Equal("payCost+nonPayCost", formula.Text);
        Assert.Equal("payCost+nonPayCost", formula.ToString());
    }

    [Theory]
    [InlineData("(a + x)", 6, "unknown measure 'x' at position 6")]
    [InlineData("a + b + c + x", 13, "unknown measure 'x' at position 13")]
    [InlineData("PayCost / a", 1, "unknown measure 'PayCost' at position 1")]
    public void Parse_UnknownMeasure_NamesItAndItsPosition(string text, int position, string message)
    {
        var exception = Assert.Throws<FormulaException>(() => Formula.Parse(text, Keys));

        Assert.Equal(message, exception.Message);
        Assert.Equal(position, exception.Error.Position);
    }

    [Theory]
    [InlineData("", "the formula is empty")]
    [InlineData("   ", "the formula is empty")]
    [InlineData("a +", "the formula ends too soon: expected a measure, a number or '(' at position 4")]
    [InlineData("a * (b +", "the formula ends too soon: expected a measure, a number or '(' at position 9")]
    [InlineData("(a + b", "the '(' at position 1 is never closed: a ')' is missing")]
    [InlineData("a + b)", "unexpected ')' at position 6: there is no '(' for it to close")]
    [InlineData("a b", "expected an operator (+ - * /) at position 3 but found 'b'")]
    [InlineData("(a b)", "expected an operator (+ - * /) or ')' at position 4 but found 'b'")]
    [InlineData("a + * b", "expected a measure, a number or '(' at position 5 but found '*'")]
    [InlineData("()", "expected a measure, a number or '(' at position 2 but found ')'")]
    [InlineData("a % b", "unexpected character '%' at position 3")]
    [InlineData("a + £5", "unexpected character '£' at position 5")]
    [InlineData("2. * a", "the number '2.' at position 1 is incomplete: write digits after the decimal point")]
    [InlineData("1.2.3", "expected an operator (+ - * /) at position 4 but found '.3'")]
    [InlineData("+a", "expected a measure, a number or '(' at position 1 but found '+'")]
    public void Parse_SyntaxErrors_SayWhatAndWhere(string text, string message)
    {
        Assert.False(Formula.TryParse(text, Keys, out var formula, out var error));
        Assert.Null(formula);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_WithoutKnownKeys_AcceptsAnyIdentifier()
    {
        Assert.Equal(new[] { "anything_1" }, Formula.Parse("anything_1 * 2").Dependencies);
    }

    [Fact]
    public void TryParse_Null_IsEmpty()
    {
        Assert.False(Formula.TryParse(null, null, out _, out var error));
        Assert.Equal(1, error.Position);
    }
}
