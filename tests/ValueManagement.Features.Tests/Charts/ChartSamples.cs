using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using ValueManagement.Features.Charts;

namespace ValueManagement.Features.Tests.Charts;

/// <summary>Charts as the SPC engine would describe them, and a PNG header reader.</summary>
internal static class ChartSamples
{
    /// <summary>The ISO week label <paramref name="offset"/> weeks after 2026-W01.</summary>
    public static string Week(int offset)
    {
        var monday = ISOWeek.ToDateTime(2026, 1, DayOfWeek.Monday).AddDays(7 * offset);
        return $"{ISOWeek.GetYear(monday)}-W{ISOWeek.GetWeekOfYear(monday):00}";
    }

    /// <summary>A steady process around 4 falls a week; the last <paramref name="improved"/> weeks below the mean, marked improvement.</summary>
    public static ChartModel Falls(int count, int improved = 0, ChartKind kind = ChartKind.Full, int firstWeek = 0)
    {
        var values = new[] { 4.0, 6, 3, 5, 2, 7, 4, 5, 3, 4, 6, 2 };
        var points = Enumerable.Range(0, count).Select(i =>
        {
            var isImproved = i >= count - improved;
            return new ChartPoint(Week(firstWeek + i), isImproved ? 1 + i % 2 : values[i % values.Length], isImproved ? SpecialCause.Improvement : SpecialCause.None)
            {
                CentreLine = 4.2,
                LowerLimit = 0,
                UpperLimit = 9.1,
            };
        }).ToList();
        return new ChartModel { Title = "Falls per week", UnitLabel = "falls", Points = points, Kind = kind, Decimals = 0 };
    }

    /// <summary>Cost per patient per week over <paramref name="count"/> weeks, limits rebased half way, gaps every 9th week, all kinds of point.</summary>
    public static ChartModel CostWithGapsAndRebase(int count, ChartKind kind = ChartKind.Full)
    {
        var rebase = count / 2;
        var points = Enumerable.Range(0, count).Select(i =>
        {
            double? value = i % 9 == 4 ? null : Math.Round(470 + 25 * Math.Sin(i / 3.0), 1);
            var cause = value is null ? SpecialCause.None : (i % 11) switch { 3 => SpecialCause.Concern, 7 => SpecialCause.Improvement, 10 => SpecialCause.Neutral, _ => SpecialCause.None };
            return new ChartPoint(Week(i), value, cause)
            {
                CentreLine = i < rebase ? 480 : 455,
                LowerLimit = i < rebase ? 431.2 : 410.5,
                UpperLimit = i < rebase ? 528.8 : 499.5,
            };
        }).ToList();
        return new ChartModel
        {
            Title = "Cost per patient per week",
            UnitLabel = "£",
            Points = points,
            Kind = kind,
            Target = 450,
            Decimals = 1,
            Annotations = count > 1 ? [new ChartAnnotation(points[rebase].Label, "change adopted")] : [],
        };
    }

    public static (int Width, int Height) ReadPngSize(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.Length > 33, "too short for a PNG");
        Assert.Equal(signature, png[..8]);
        Assert.Equal(13, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(8, 4)));
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        Assert.Equal("IEND", Encoding.ASCII.GetString(png, png.Length - 8, 4));
        return (width, height);
    }
}

/// <summary>Keeps what was logged, for tests that check a warning was given.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Category, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this, categoryName);

    public void Dispose() { }

    private sealed class ListLogger(ListLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries) owner._entries.Add((logLevel, category, formatter(state, exception)));
        }
    }
}
