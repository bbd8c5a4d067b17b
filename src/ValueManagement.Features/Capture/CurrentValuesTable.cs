using System.Buffers.Binary;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Features.Capture;

/// <summary>
/// A team's current values, one row per stored week and one column per measure key, as one document
/// (<see cref="StoredCurrentValuesTable"/>): box scores and roll-ups read every week a team has, and one
/// document holding the figures as packed numbers is read many times faster than a document per week
/// holding a dictionary each.
/// </summary>
/// <remarks>
/// A cell is a value, blank (a measure given as empty: null) or absent (the week never had the key);
/// <see cref="WeekValues"/> read from the table keep that difference, so they equal
/// <see cref="ValueManagement.Core.Submissions.WeeklySubmission.Current"/> of the same week.
/// </remarks>
public sealed class CurrentValuesTable
{
    // Blank is stored as the ordinary NaN; absent as a NaN with a payload nothing else produces, so the two stay apart.
    private const long AbsentBits = 0x7FF8_0000_0000_A85E;
    private static readonly double Absent = BitConverter.Int64BitsToDouble(AbsentBits);

    private readonly List<IsoWeek> _weeks;
    private readonly List<string> _keys;
    private readonly Dictionary<string, int> _columnOf;
    private readonly List<double[]> _rows;

    private CurrentValuesTable(string teamId, List<IsoWeek> weeks, List<string> keys, List<double[]> rows)
    {
        TeamId = teamId;
        _weeks = weeks;
        _keys = keys;
        _rows = rows;
        _columnOf = new Dictionary<string, int>(keys.Count, StringComparer.Ordinal);
        for (var k = 0; k < keys.Count; k++) _columnOf.Add(keys[k], k);
    }

    public string TeamId { get; }

    /// <summary>The stored weeks, oldest first.</summary>
    public IReadOnlyList<IsoWeek> Weeks => _weeks;

    public static CurrentValuesTable Empty(string teamId) => new(teamId, [], [], []);

    /// <summary>The table as stored.</summary>
    /// <exception cref="InvalidDataException">The stored document does not hold weeks in order and weeks × keys numbers.</exception>
    public static CurrentValuesTable From(StoredCurrentValuesTable stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var weeks = stored.Weeks.Select(IsoWeek.ParseStored).ToList();
        for (var w = 1; w < weeks.Count; w++)
        {
            if (weeks[w] <= weeks[w - 1])
                throw new InvalidDataException($"The current values of team '{stored.Id}' list week {weeks[w]} after {weeks[w - 1]}: weeks must be in order, each once.");
        }
        var width = stored.Keys.Count;
        if (stored.Values.Length != (long)weeks.Count * width * sizeof(double))
            throw new InvalidDataException($"The current values of team '{stored.Id}' hold {stored.Values.Length} bytes, not {weeks.Count} weeks × {width} measures.");
        var rows = new List<double[]>(weeks.Count);
        var span = stored.Values.AsSpan();
        for (var w = 0; w < weeks.Count; w++)
        {
            var row = new double[width];
            for (var k = 0; k < width; k++)
                row[k] = BinaryPrimitives.ReadDoubleLittleEndian(span.Slice((w * width + k) * sizeof(double), sizeof(double)));
            rows.Add(row);
        }
        return new CurrentValuesTable(stored.Id, weeks, [.. stored.Keys], rows);
    }

    public StoredCurrentValuesTable ToStored()
    {
        var width = _keys.Count;
        var bytes = new byte[_weeks.Count * width * sizeof(double)];
        for (var w = 0; w < _weeks.Count; w++)
        {
            var row = _rows[w];
            for (var k = 0; k < width; k++)
                BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan((w * width + k) * sizeof(double), sizeof(double)), k < row.Length ? row[k] : Absent);
        }
        return new StoredCurrentValuesTable
        {
            Id = TeamId,
            Weeks = _weeks.Select(w => w.ToString()).ToList(),
            Keys = [.. _keys],
            Values = bytes,
        };
    }

    /// <summary>Makes <paramref name="values"/> the week's current values, adding the week or keys not seen before.</summary>
    public void Set(IsoWeek week, IReadOnlyDictionary<string, double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var key in values.Keys)
        {
            if (_columnOf.ContainsKey(key)) continue;
            _columnOf.Add(key, _keys.Count);
            _keys.Add(key);
        }
        var row = new double[_keys.Count];
        Array.Fill(row, Absent);
        foreach (var (key, value) in values) row[_columnOf[key]] = value ?? double.NaN;

        var index = _weeks.BinarySearch(week);
        if (index >= 0)
        {
            _rows[index] = row;
            return;
        }
        _weeks.Insert(~index, week);
        _rows.Insert(~index, row);
    }

    /// <summary>Each stored week up to <paramref name="to"/> (all when null) with its current values, oldest first.</summary>
    public IReadOnlyList<WeekValues> Read(IsoWeek? to = null)
    {
        var count = to is { } last ? UpTo(last) : _weeks.Count;
        var weeks = new WeekValues[count];
        for (var w = 0; w < count; w++) weeks[w] = new WeekValues(_weeks[w], new Row(this, _rows[w]));
        return weeks;
    }

    private int UpTo(IsoWeek last)
    {
        var index = _weeks.BinarySearch(last);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>One week's values, read in place from the table's row (no dictionary of its own).</summary>
    private sealed class Row(CurrentValuesTable table, double[] cells) : IReadOnlyDictionary<string, double?>
    {
        public double? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The week has no value for '{key}'.");

        public IEnumerable<string> Keys => this.Select(p => p.Key);

        public IEnumerable<double?> Values => this.Select(p => p.Value);

        public int Count
        {
            get
            {
                var count = 0;
                foreach (var cell in cells) if (!IsAbsent(cell)) count++;
                return count;
            }
        }

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out double? value)
        {
            if (table._columnOf.TryGetValue(key, out var k) && k < cells.Length && !IsAbsent(cells[k]))
            {
                value = ValueOf(cells[k]);
                return true;
            }
            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, double?>> GetEnumerator()
        {
            for (var k = 0; k < cells.Length; k++)
                if (!IsAbsent(cells[k])) yield return new KeyValuePair<string, double?>(table._keys[k], ValueOf(cells[k]));
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private static bool IsAbsent(double cell) => BitConverter.DoubleToInt64Bits(cell) == AbsentBits;

        private static double? ValueOf(double cell) => double.IsNaN(cell) ? null : cell;
    }
}

/// <summary>
/// <see cref="CurrentValuesTable"/> as stored, one document per team: <see cref="Values"/> holds
/// <c>Weeks.Count × Keys.Count</c> little-endian doubles, week by week, each week's in <see cref="Keys"/> order.
/// </summary>
public sealed class StoredCurrentValuesTable
{
    /// <summary>The team's id.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>ISO weeks (<c>2026-W48</c>), oldest first.</summary>
    public List<string> Weeks { get; set; } = [];

    public List<string> Keys { get; set; } = [];

    public byte[] Values { get; set; } = [];
}
