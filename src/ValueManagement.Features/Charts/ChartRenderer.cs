using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;
using SkiaSharp;

namespace ValueManagement.Features.Charts;

/// <summary>A rendered chart: PNG bytes and their size in pixels.</summary>
public sealed record RenderedChart(byte[] Png, int Width, int Height);

/// <summary>
/// Draws a <see cref="ChartModel"/> as a PNG with ScottPlot, in NHS England "Making Data Count"
/// colours. Colour is never the only signal: each kind of point also has its own marker shape,
/// named in the legend. Output depends only on the model (and the font), so the same model gives
/// the same picture. Thread-safe: each call draws on its own plot.
/// </summary>
public sealed partial class ChartRenderer(ChartFonts fonts)
{
    public const int FullWidth = 800;
    public const int FullHeight = 400;
    public const int SparklineWidth = 240;
    public const int SparklineHeight = 60;

    // Full charts: text sizes in pixels, large enough to read when Teams shows the card image at about half size.
    private const float TitleSize = 26;
    private const float AxisLabelSize = 19;
    private const float TickSize = 18;
    private const float LegendSize = 17;
    private const float NoteSize = 16;

    // NHS England "Making Data Count" colours.
    public const string CommonCauseGreyHex = "#A6A6A6";
    public const string ImprovementBlueHex = "#00B0F0";
    public const string ConcernOrangeHex = "#E46C0A";
    public const string NeutralPurpleHex = "#490092";

    private static readonly Color CommonCauseGrey = Color.FromHex(CommonCauseGreyHex);
    private static readonly Color ImprovementBlue = Color.FromHex(ImprovementBlueHex);
    private static readonly Color ConcernOrange = Color.FromHex(ConcernOrangeHex);
    private static readonly Color NeutralPurple = Color.FromHex(NeutralPurpleHex);

    private static readonly Color Ink = Color.FromHex("#262626");
    private static readonly Color DataLine = Color.FromHex("#7F7F7F");
    private static readonly Color CentreLineColour = Color.FromHex("#404040");
    private static readonly Color LimitColour = Color.FromHex("#595959");
    private static readonly Color TargetColour = Color.FromHex("#C00000");
    private static readonly Color SparkLimitColour = Color.FromHex("#BFBFBF");
    private static readonly Color GridColour = Color.FromHex("#E8E8E8");
    private static readonly LinePattern LimitPattern = new([9, 6], 0, "limits");
    private static readonly LinePattern TargetPattern = new([20, 6, 4, 6], 0, "target");
    private static readonly LinePattern AnnotationPattern = new([3, 4], 0, "annotation");

    public ChartFonts Fonts { get; } = fonts;

    public static (int Width, int Height) SizeOf(ChartKind kind) =>
        kind == ChartKind.Sparkline ? (SparklineWidth, SparklineHeight) : (FullWidth, FullHeight);

    /// <exception cref="ArgumentException">The model is not valid (<see cref="ChartModel.Validate"/>).</exception>
    public RenderedChart Render(ChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.EnsureValid();
        var (width, height) = SizeOf(model.Kind);
        using var plot = new Plot();
        if (model.Kind == ChartKind.Sparkline)
            DrawSparkline(plot, model);
        else
            DrawFull(plot, model);
        return new RenderedChart(EncodePng(plot, width, height), width, height);
    }

    /// <summary>
    /// Skia's default PNG settings (every filter, zlib level 6) cost about 100 ms for a full chart on
    /// a small server; the "up" filter at level 1 takes a few ms and the file is barely larger (≈40 KB).
    /// </summary>
    private static byte[] EncodePng(Plot plot, int width, int height)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"Skia could not create a {width}×{height} surface.");
        plot.Render(surface);
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels() ?? throw new InvalidOperationException("Skia could not read the chart's pixels.");
        using var data = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Up, 1))
            ?? throw new InvalidOperationException("Skia could not encode the chart as PNG.");
        return data.ToArray();
    }

    private void DrawFull(Plot plot, ChartModel model)
    {
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;

        plot.Title(model.Title, size: TitleSize);
        plot.Axes.Title.Label.ForeColor = Ink;
        if (!string.IsNullOrWhiteSpace(model.UnitLabel)) plot.YLabel(model.UnitLabel, size: AxisLabelSize);
        plot.Axes.Left.Label.ForeColor = Ink;
        foreach (var axis in new IAxis[] { plot.Axes.Left, plot.Axes.Bottom })
        {
            axis.TickLabelStyle.FontSize = TickSize;
            axis.TickLabelStyle.ForeColor = Ink;
            axis.MajorTickStyle.Color = LimitColour;
            axis.MinorTickStyle.Length = 0;
            axis.FrameLineStyle.Color = LimitColour;
        }
        plot.Axes.Right.FrameLineStyle.Width = 0;
        plot.Axes.Top.FrameLineStyle.Width = 0;
        plot.Grid.XAxisStyle.IsVisible = false;
        // Numbers the same on every server, whatever its culture: 1,219.5 not 1.219,5.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = model.Decimals == 0,
            LabelFormatter = value => value.ToString(Math.Abs(value) >= 1000 ? "#,0.##" : "0.####", CultureInfo.InvariantCulture),
        };
        plot.Grid.YAxisStyle.MajorLineStyle.Color = GridColour;
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 1;

        var points = model.Points;

        DrawSteps(plot, points, p => p.UpperLimit, LimitColour, 2f, LimitPattern, halfWidth: 0.35);
        DrawSteps(plot, points, p => p.LowerLimit, LimitColour, 2f, LimitPattern, halfWidth: 0.35);
        var hasLimits = points.Any(p => p.UpperLimit is not null || p.LowerLimit is not null);
        DrawSteps(plot, points, p => p.CentreLine, CentreLineColour, 2.2f, LinePattern.Solid, halfWidth: 0.35);
        var hasCentre = points.Any(p => p.CentreLine is not null);
        if (model.Target is { } target)
        {
            var line = plot.Add.Line(-0.5, target, points.Count - 0.5, target);
            line.LineColor = TargetColour;
            line.LineWidth = 2.6f;
            line.LinePattern = TargetPattern;
            line.MarkerSize = 0;
        }

        DrawDataLine(plot, points, DataLine, 2.8f);

        AddMarkers(plot, points, SpecialCause.None, MarkerShape.FilledCircle, 9, CommonCauseGrey, DataLine, 1.2f);
        AddMarkers(plot, points, SpecialCause.Improvement, MarkerShape.FilledTriangleUp, 17, ImprovementBlue, Ink, 1.2f);
        AddMarkers(plot, points, SpecialCause.Concern, MarkerShape.FilledDiamond, 17, ConcernOrange, Ink, 1.2f);
        AddMarkers(plot, points, SpecialCause.Neutral, MarkerShape.FilledCircle, 14, NeutralPurple, Ink, 2f);

        // The legend: kinds of point, then kinds of line; on two rows when one would be too wide.
        var pointItems = new List<LegendItem> { MarkerItem("common cause", MarkerShape.FilledCircle, 9, CommonCauseGrey, DataLine, 1.2f) };
        if (points.Any(p => p.SpecialCause == SpecialCause.Improvement))
            pointItems.Add(MarkerItem("improvement", MarkerShape.FilledTriangleUp, 16, ImprovementBlue, Ink, 1.2f));
        if (points.Any(p => p.SpecialCause == SpecialCause.Concern))
            pointItems.Add(MarkerItem("concern", MarkerShape.FilledDiamond, 16, ConcernOrange, Ink, 1.2f));
        if (points.Any(p => p.SpecialCause == SpecialCause.Neutral))
            pointItems.Add(MarkerItem("neutral", MarkerShape.FilledCircle, 13, NeutralPurple, Ink, 2f));
        var lineItems = new List<LegendItem>();
        if (hasCentre) lineItems.Add(LineItem(model.CentreLineName, CentreLineColour, 2.2f, LinePattern.Solid));
        if (hasLimits) lineItems.Add(LineItem(model.TrialLimits ? "trial limits" : "process limits", LimitColour, 2f, LimitPattern));
        if (model.Target is not null) lineItems.Add(LineItem("target", TargetColour, 2.6f, TargetPattern));
        if (pointItems.Count + lineItems.Count <= 4)
            AddLegendRow(plot, [.. pointItems, .. lineItems]);
        else
        {
            AddLegendRow(plot, pointItems);
            AddLegendRow(plot, lineItems);
        }

        SetXTicks(plot, points);
        var (bottom, top) = ValueRange(model, pad: 0.08);
        // Headroom for the annotations' notes, which sit inside the top edge.
        if (model.Annotations.Count > 0) top += (top - bottom) * 0.18;
        DrawAnnotations(plot, model, top);
        plot.Axes.SetLimits(-0.6, points.Count - 0.4, bottom, top);
        if (model.Target is { } targetValue)
        {
            // "target" named in the right margin, level with its line: it cannot cover the latest point there.
            var right = plot.Axes.Right;
            right.TickGenerator = new ScottPlot.TickGenerators.NumericManual([targetValue], ["target"]);
            right.TickLabelStyle.ForeColor = TargetColour;
            right.TickLabelStyle.FontSize = NoteSize;
            right.TickLabelStyle.Bold = true;
            if (Fonts.Family is { } targetFont) right.TickLabelStyle.FontName = targetFont;
            right.MajorTickStyle.Color = TargetColour;
            right.MajorTickStyle.Width = 2;
            right.MinorTickStyle.Length = 0;
            plot.Axes.SetLimitsY(bottom, top, right);
        }
        if (Fonts.Family is { } family)
        {
            // By name on each label rather than FontStyler.Set, which fixes one typeface and so loses the bold title.
            foreach (var style in new[] { plot.Axes.Title.Label, plot.Axes.Left.Label, plot.Axes.Left.TickLabelStyle, plot.Axes.Bottom.TickLabelStyle })
                style.FontName = family;
        }
        plot.Axes.Title.Label.Bold = true;
        plot.Axes.Left.Label.Bold = false;
    }

    private static void DrawSparkline(Plot plot, ChartModel model)
    {
        plot.Layout.Frameless();
        plot.HideGrid();
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;

        var points = model.Points;
        DrawSteps(plot, points, p => p.UpperLimit, SparkLimitColour, 1, LinePattern.Dashed, halfWidth: 0.4);
        DrawSteps(plot, points, p => p.LowerLimit, SparkLimitColour, 1, LinePattern.Dashed, halfWidth: 0.4);
        DrawSteps(plot, points, p => p.CentreLine, CommonCauseGrey, 1, LinePattern.Solid, halfWidth: 0.4);
        if (model.Target is { } target)
        {
            var line = plot.Add.Line(-0.5, target, points.Count - 0.5, target);
            line.LineColor = TargetColour;
            line.LineWidth = 1;
            line.LinePattern = LinePattern.DenselyDashed;
            line.MarkerSize = 0;
        }
        DrawDataLine(plot, points, DataLine, 1.5f);

        AddMarkers(plot, points, SpecialCause.Improvement, MarkerShape.FilledTriangleUp, 9, ImprovementBlue, ImprovementBlue, 0);
        AddMarkers(plot, points, SpecialCause.Concern, MarkerShape.FilledDiamond, 9, ConcernOrange, ConcernOrange, 0);
        AddMarkers(plot, points, SpecialCause.Neutral, MarkerShape.FilledCircle, 7, NeutralPurple, NeutralPurple, 0);

        // The latest point, so the eye finds "now"; a special-cause marker is already there.
        var last = LastIndexWithValue(points);
        if (last >= 0 && points[last].SpecialCause == SpecialCause.None)
        {
            var marker = plot.Add.Marker(last, points[last].Value!.Value, MarkerShape.FilledCircle, 5, Ink);
            marker.LegendText = "";
        }

        var (bottom, top) = ValueRange(model, pad: 0.14);
        var n = points.Count;
        plot.Axes.SetLimits(-0.8, Math.Max(n - 0.2, 0.2), bottom, top);
    }

    /// <summary>One line per run of consecutive points with the same value, so rebased lines step.</summary>
    private static void DrawSteps(Plot plot, IReadOnlyList<ChartPoint> points, Func<ChartPoint, double?> select, Color colour, float width, LinePattern pattern, double halfWidth)
    {
        var start = 0;
        while (start < points.Count)
        {
            if (select(points[start]) is not { } value)
            {
                start++;
                continue;
            }
            var end = start;
            while (end + 1 < points.Count && select(points[end + 1]) is { } next && next.Equals(value)) end++;
            var (x1, x2) = start == end ? (start - halfWidth, end + halfWidth) : (start, (double)end);
            // The run touching either edge runs on to the edge of the plot.
            if (start == 0) x1 = -0.5;
            if (end == points.Count - 1) x2 = points.Count - 0.5;
            var line = plot.Add.Line(x1, value, x2, value);
            line.LineColor = colour;
            line.LineWidth = width;
            line.LinePattern = pattern;
            line.MarkerSize = 0;
            start = end + 1;
        }
    }

    /// <summary>The data line, broken where a period was not recorded.</summary>
    private static void DrawDataLine(Plot plot, IReadOnlyList<ChartPoint> points, Color colour, float width)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i <= points.Count; i++)
        {
            if (i < points.Count && points[i].Value is { } y)
            {
                xs.Add(i);
                ys.Add(y);
                continue;
            }
            if (xs.Count > 1)
            {
                var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), colour);
                line.LineWidth = width;
                line.MarkerSize = 0;
            }
            xs.Clear();
            ys.Clear();
        }
    }

    private static void AddMarkers(Plot plot, IReadOnlyList<ChartPoint> points, SpecialCause kind, MarkerShape shape, float size, Color fill, Color outline, float outlineWidth)
    {
        var selected = Enumerable.Range(0, points.Count).Where(i => points[i].Value is not null && points[i].SpecialCause == kind).ToArray();
        if (selected.Length == 0) return;
        var markers = plot.Add.Markers(
            selected.Select(i => (double)i).ToArray(),
            selected.Select(i => points[i].Value!.Value).ToArray(),
            shape, size, fill);
        markers.MarkerStyle.FillColor = fill;
        markers.MarkerStyle.OutlineColor = outline;
        markers.MarkerStyle.OutlineWidth = outlineWidth;
        markers.MarkerStyle.LineWidth = outlineWidth;
        markers.MarkerStyle.LineColor = outline;
    }

    /// <summary>A dotted line at the point, and its note inside the plot's top edge (room is left for it there).</summary>
    private void DrawAnnotations(Plot plot, ChartModel model, double top)
    {
        foreach (var annotation in model.Annotations)
        {
            var index = IndexOf(model.Points, annotation.At);
            var line = plot.Add.VerticalLine(index, 2f, Ink, AnnotationPattern);
            line.ExcludeFromLegend = true;
            var note = plot.Add.Text(annotation.Text, index, top);
            note.LabelFontSize = NoteSize;
            note.LabelFontColor = Ink;
            note.LabelBackgroundColor = Colors.White;
            note.LabelBorderColor = Ink;
            note.LabelBorderWidth = 1;
            note.LabelPadding = 3;
            // Right of the line, unless the line is in the right third: then left of it.
            note.LabelAlignment = index > model.Points.Count * 2 / 3.0 ? Alignment.UpperRight : Alignment.UpperLeft;
            note.OffsetX = note.LabelAlignment == Alignment.UpperRight ? -4 : 4;
            note.OffsetY = 4;
            if (Fonts.Family is { } family) note.LabelFontName = family;
        }
    }

    /// <summary>
    /// One row of legend below the plot. Each row is its own legend panel: ScottPlot sizes a panel
    /// for one row of items, so a wrapping legend would be cut off.
    /// </summary>
    private void AddLegendRow(Plot plot, List<LegendItem> items)
    {
        var legend = new Legend(plot)
        {
            DisplayPlottableLegendItems = false,
            Orientation = Orientation.Horizontal,
            FontSize = LegendSize,
            FontColor = Ink,
            OutlineWidth = 0,
            BackgroundColor = Colors.White,
            ShadowColor = Colors.Transparent,
            Margin = new PixelPadding(0),
            Padding = new PixelPadding(2),
            SymbolWidth = 30,
            InterItemPadding = new PixelPadding(12, 2),
        };
        if (Fonts.Family is { } family) legend.FontName = family;
        legend.ManualItems.AddRange(items);
        plot.Axes.AddPanel(new ScottPlot.Panels.LegendPanel(legend) { Edge = Edge.Bottom, Padding = new PixelPadding(0, 0, 2, 2) });
    }

    private static LegendItem MarkerItem(string label, MarkerShape shape, float size, Color fill, Color outline, float outlineWidth) => new()
    {
        LabelText = label,
        MarkerStyle = new MarkerStyle(shape, size, fill) { OutlineColor = outline, OutlineWidth = outlineWidth, LineWidth = outlineWidth, LineColor = outline },
        LineStyle = LineStyle.None,
    };

    private static LegendItem LineItem(string label, Color colour, float width, LinePattern pattern) => new()
    {
        LabelText = label,
        LineStyle = new LineStyle(width, colour, pattern),
        MarkerStyle = MarkerStyle.None,
    };

    /// <summary>
    /// At most as many x labels as fit across the chart, counted back from the latest point so that
    /// "now" is always labelled. ISO weeks show as "W48" and ISO dates as "27 Apr", with the year
    /// underneath on the first label and wherever the year changes.
    /// </summary>
    private static void SetXTicks(Plot plot, IReadOnlyList<ChartPoint> points)
    {
        var labels = ShortLabels(points);
        var widest = labels.Max(l => l.Text.Length);
        // About 700 pixels of axis; a character of the tick font is about 11 px wide, plus a gap.
        var fit = Math.Max(2, (int)(700 / (widest * 11.0 + 24)));
        var step = Math.Max(1, (int)Math.Ceiling(points.Count / (double)fit));
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        string? lastYear = null;
        for (var i = (points.Count - 1) % step; i < points.Count; i += step)
        {
            var (text, year) = labels[i];
            ticks.AddMajor(i, year is not null && year != lastYear ? text + "\n" + year : text);
            lastYear = year ?? lastYear;
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        // The latest label is centred on the last point: leave room for its right half.
        plot.Axes.Right.MinimumSize = (float)(widest * 11.0 / 2);
    }

    private static List<(string Text, string? Year)> ShortLabels(IReadOnlyList<ChartPoint> points)
    {
        if (points.All(p => IsoWeek().IsMatch(p.Label)))
            return points.Select(p => IsoWeek().Match(p.Label)).Select(m => ("W" + m.Groups["week"].Value, (string?)m.Groups["year"].Value)).ToList();
        var dates = points.Select(p => DateOnly.TryParseExact(p.Label, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null).ToList();
        if (dates.All(d => d is not null))
            return dates.Select(d => (d!.Value.ToString("d MMM", CultureInfo.InvariantCulture), (string?)d.Value.Year.ToString(CultureInfo.InvariantCulture))).ToList();
        return points.Select(p => (p.Label, (string?)null)).ToList();
    }

    /// <summary>Everything drawn fits, with a margin; counts that cannot go below 0 do not show negative ticks.</summary>
    private static (double Bottom, double Top) ValueRange(ChartModel model, double pad)
    {
        var values = model.Points
            .SelectMany(p => new[] { p.Value, p.CentreLine, p.LowerLimit, p.UpperLimit })
            .Append(model.Target)
            .OfType<double>()
            .ToList();
        if (values.Count == 0) return (0, 1);
        var min = values.Min();
        var max = values.Max();
        var span = max - min;
        double bottom, top;
        if (span < 1e-9)
        {
            // One value (or all the same): centre it with a margin of half its size, at least 1.
            var half = Math.Max(Math.Abs(max) * 0.5, 1);
            (bottom, top) = (min - half, max + half);
        }
        else
            (bottom, top) = (min - span * pad, max + span * pad);
        if (min >= 0 && bottom < 0) bottom = -(top - Math.Max(min, 0)) * 0.03;
        return (bottom, top);
    }

    private static int IndexOf(IReadOnlyList<ChartPoint> points, string label)
    {
        for (var i = 0; i < points.Count; i++)
            if (string.Equals(points[i].Label, label, StringComparison.Ordinal)) return i;
        throw new ArgumentException($"No point is labelled '{label}'.", nameof(label));
    }

    private static int LastIndexWithValue(IReadOnlyList<ChartPoint> points)
    {
        for (var i = points.Count - 1; i >= 0; i--)
            if (points[i].Value is not null) return i;
        return -1;
    }

    [GeneratedRegex(@"^(?<year>\d{4})-W(?<week>\d{2})$", RegexOptions.CultureInvariant)]
    internal static partial Regex IsoWeek();
}
