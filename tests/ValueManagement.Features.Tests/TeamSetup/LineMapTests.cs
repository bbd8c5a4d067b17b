using System.Text;
using System.Text.Json;
using ValueManagement.Features.TeamSetup;

namespace ValueManagement.Features.Tests.TeamSetup;

public sealed class LineMapTests
{
    private static LineMap Map(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(2, 1, 3)]
    [InlineData(3, 1, 4)] // the line feed itself ends line 1
    [InlineData(4, 2, 1)]
    [InlineData(6, 2, 3)]
    [InlineData(7, 3, 1)]
    [InlineData(8, 4, 1)]
    public void Locate_LineFeeds_GiveLinesAndColumns(int offset, int line, int column)
    {
        Assert.Equal(new SourcePosition(line, column), Map("abc\nde\n\nx").Locate(offset));
    }

    [Fact]
    public void Locate_CrLf_CountsOneLineBreak()
    {
        var map = Map("ab\r\ncd\r\nef");

        Assert.Equal(3, map.LineCount);
        Assert.Equal(new SourcePosition(2, 1), map.Locate(4));
        Assert.Equal(new SourcePosition(3, 2), map.Locate(9));
    }

    [Fact]
    public void Locate_LoneCarriageReturn_IsNotALineBreak()
    {
        // As Utf8JsonReader counts lines, so our positions agree with its error positions.
        Assert.Equal(new SourcePosition(1, 4), Map("ab\rc").Locate(3));
    }

    [Fact]
    public void Locate_MultiByteCharacters_CountOneColumnEach()
    {
        var text = "£é€😀x";
        var offset = Encoding.UTF8.GetByteCount("£é€😀");

        Assert.Equal(new SourcePosition(1, 5), Map(text).Locate(offset));
    }

    [Fact]
    public void Locate_ByteOrderMark_IsNotAColumn()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("ab\ncd")).ToArray();
        var map = new LineMap(bytes);

        Assert.Equal(new SourcePosition(1, 1), map.Locate(3));
        Assert.Equal(new SourcePosition(1, 2), map.Locate(4));
        Assert.Equal(new SourcePosition(2, 2), map.Locate(7));
        Assert.Equal(3, map.LineStart(1));
    }

    [Fact]
    public void Locate_PastTheEnd_IsTheEndOfTheLastLine()
    {
        Assert.Equal(new SourcePosition(2, 3), Map("a\nbc").Locate(100));
        Assert.Equal(new SourcePosition(1, 1), Map(string.Empty).Locate(0));
    }

    [Fact]
    public void Locate_ByLineAndBytePosition_MatchesTheJsonReadersErrors()
    {
        var text = "{\r\n  \"a\": 1,\r\n  \"b\": £\r\n}";
        var bytes = Encoding.UTF8.GetBytes(text);
        var error = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes));

        var position = new LineMap(bytes).Locate((int)error.LineNumber!.Value + 1, error.BytePositionInLine!.Value);

        Assert.Equal(new SourcePosition(3, 8), position);
    }

    [Fact]
    public void Locate_TokenStartIndex_FindsEveryToken()
    {
        var text = "{\n  \"name\": \"Ward 7\",\n  \"n\": [1,\n   2]\n}";
        var bytes = Encoding.UTF8.GetBytes(text);
        var map = new LineMap(bytes);
        var reader = new Utf8JsonReader(bytes);
        var positions = new List<SourcePosition>();
        while (reader.Read()) positions.Add(map.Locate(reader.TokenStartIndex));

        Assert.Equal(
            [new(1, 1), new(2, 3), new(2, 11), new(3, 3), new(3, 8), new(3, 9), new(4, 4), new(4, 5), new(5, 1)],
            positions);
    }
}
