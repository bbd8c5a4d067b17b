namespace ValueManagement.Features.TeamSetup;

/// <summary>A place in a text file, for messages: 1-based line and column.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// Turns byte offsets into UTF-8 text (what <see cref="System.Text.Json.Utf8JsonReader.TokenStartIndex"/>
/// gives) into lines and columns an editor shows.
/// </summary>
/// <remarks>
/// A line ends at a line feed, so CR LF and LF files number their lines alike, as
/// <see cref="System.Text.Json.Utf8JsonReader"/> does in its own error messages; a lone CR is not a
/// line break. Columns count characters (Unicode code points), not bytes, so "£" or "é" earlier on
/// the line moves the column by one. A byte order mark at the start is not counted.
/// </remarks>
public sealed class LineMap
{
    private readonly byte[] _text;
    private readonly int[] _lineStarts;
    private readonly int _start;

    public LineMap(ReadOnlySpan<byte> utf8)
    {
        _text = utf8.ToArray();
        _start = utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var starts = new List<int> { 0 };
        for (var i = 0; i < _text.Length; i++)
        {
            if (_text[i] == (byte)'\n') starts.Add(i + 1);
        }
        _lineStarts = [.. starts];
    }

    /// <summary>How many lines the text has (an empty text has one, empty, line).</summary>
    public int LineCount => _lineStarts.Length;

    /// <summary>The byte offset at which 1-based <paramref name="line"/> starts.</summary>
    public int LineStart(int line)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(line, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(line, LineCount);
        return line == 1 ? _start : _lineStarts[line - 1];
    }

    /// <summary>The line and column of the character that starts at <paramref name="byteOffset"/> (clamped to the text).</summary>
    public SourcePosition Locate(long byteOffset)
    {
        var offset = (int)Math.Clamp(byteOffset, 0, _text.Length);
        // The last line start at or before the offset.
        var index = Array.BinarySearch(_lineStarts, offset);
        if (index < 0) index = ~index - 1;
        var line = index + 1;
        var start = LineStart(line);
        var column = 1;
        for (var i = start; i < offset; i++)
        {
            // Count the first byte of each character: continuation bytes look like 10xxxxxx.
            if ((_text[i] & 0xC0) != 0x80) column++;
        }
        return new SourcePosition(line, column);
    }

    /// <summary>The position of the byte <paramref name="bytePositionInLine"/> bytes into 1-based <paramref name="line"/>.</summary>
    public SourcePosition Locate(int line, long bytePositionInLine) =>
        Locate(LineStart(Math.Clamp(line, 1, LineCount)) + bytePositionInLine);
}
