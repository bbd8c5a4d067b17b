using ValueManagement.Core.Text;

namespace ValueManagement.Core.Tests.Text;

public sealed class PluralTests
{
    [Theory]
    [InlineData(0, "occurrence", null, "0 occurrences")]
    [InlineData(1, "occurrence", null, "1 occurrence")]
    [InlineData(2, "occurrence", null, "2 occurrences")]
    [InlineData(1, "coach", null, "1 coach")]
    [InlineData(3, "coach", null, "3 coaches")]
    [InlineData(2, "data lead", null, "2 data leads")]
    [InlineData(2, "box", null, "2 boxes")]
    [InlineData(2, "entry", null, "2 entries")]
    [InlineData(2, "day", null, "2 days")]
    [InlineData(12, "week of figures", "weeks of figures", "12 weeks of figures")]
    [InlineData(1, "week of figures", "weeks of figures", "1 week of figures")]
    [InlineData(1500, "value", null, "1500 values")]
    public void Count_PutsTheNounInTheSingularForOneOnly(long count, string singular, string? plural, string expected) =>
        Assert.Equal(expected, Plural.Count(count, singular, plural));

    [Fact]
    public void Verbs_AgreeWithTheCount()
    {
        Assert.Equal("1 team has", $"{Plural.Count(1, "team")} {Plural.Has(1)}");
        Assert.Equal("2 teams have", $"{Plural.Count(2, "team")} {Plural.Has(2)}");
        Assert.Equal("is", Plural.Is(1));
        Assert.Equal("are", Plural.Is(0));
    }
}
