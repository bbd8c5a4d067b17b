using ValueManagement.Features.Charts;

namespace ValueManagement.Features.Tests.Charts;

public sealed class ChartRendererTests
{
    private const int MaxInlineImageBytes = 1024 * 1024;
    private static readonly ChartRenderer Renderer = new(ChartFonts.Resolve());

    [Theory]
    [InlineData(1, ChartKind.Full, 800, 400)]
    [InlineData(12, ChartKind.Full, 800, 400)]
    [InlineData(52, ChartKind.Full, 800, 400)]
    [InlineData(156, ChartKind.Full, 800, 400)]
    [InlineData(1, ChartKind.Sparkline, 240, 60)]
    [InlineData(12, ChartKind.Sparkline, 240, 60)]
    [InlineData(52, ChartKind.Sparkline, 240, 60)]
    [InlineData(156, ChartKind.Sparkline, 240, 60)]
    public void Render_GivesAPngOfTheKindsSize_WellUnderTeamsLimits(int points, ChartKind kind, int width, int height)
    {
        var chart = Renderer.Render(ChartSamples.Falls(points, improved: Math.Min(points, 7), kind: kind));

        Assert.Equal((width, height), ChartSamples.ReadPngSize(chart.Png));
        Assert.Equal((width, height), (chart.Width, chart.Height));
        Assert.True(width <= 1024 && height <= 1024);
        Assert.InRange(chart.Png.Length, 200, MaxInlineImageBytes / 8);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(52)]
    [InlineData(156)]
    public void Render_MissingWeeks_RebasedStepLimits_TargetAndAnnotation(int points)
    {
        foreach (var kind in new[] { ChartKind.Full, ChartKind.Sparkline })
        {
            var chart = Renderer.Render(ChartSamples.CostWithGapsAndRebase(points, kind));
            Assert.Equal(ChartRenderer.SizeOf(kind), ChartSamples.ReadPngSize(chart.Png));
            Assert.True(chart.Png.Length < MaxInlineImageBytes / 8);
        }
    }

    [Fact]
    public void Render_NoFigureRecorded_StillDrawsAnEmptyChart()
    {
        var model = new ChartModel
        {
            Title = "Complaints",
            Points = [new ChartPoint("2026-W47", null), new ChartPoint("2026-W48", null)],
        };
        Assert.Equal((800, 400), ChartSamples.ReadPngSize(Renderer.Render(model).Png));
    }

    [Fact]
    public void Render_DateLabelsAndFreeLabels_AreDrawn()
    {
        var dated = new ChartModel
        {
            Title = "% of registered nurse time in direct care",
            UnitLabel = "%",
            PeriodName = "sample",
            CentreLineName = "median",
            Points = Enumerable.Range(0, 14).Select(i => new ChartPoint(new DateOnly(2026, 1, 5).AddDays(56 * i).ToString("yyyy-MM-dd"), 50 + i % 5) { CentreLine = 52 }).ToList(),
        };
        var free = dated with { Points = dated.Points.Select((p, i) => p with { Label = $"sample {i + 1}" }).ToList() };
        Assert.Equal((800, 400), ChartSamples.ReadPngSize(Renderer.Render(dated).Png));
        Assert.Equal((800, 400), ChartSamples.ReadPngSize(Renderer.Render(free).Png));
    }

    [Theory]
    [InlineData(ChartKind.Full)]
    [InlineData(ChartKind.Sparkline)]
    public void Render_UsesTheMakingDataCountColours(ChartKind kind)
    {
        var chart = Renderer.Render(ChartSamples.CostWithGapsAndRebase(52, kind));
        using var bitmap = SkiaSharp.SKBitmap.Decode(chart.Png);
        var colours = new HashSet<string>();
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add($"#{c.Red:X2}{c.Green:X2}{c.Blue:X2}");
            }
        Assert.Contains(ChartRenderer.ImprovementBlueHex, colours);
        Assert.Contains(ChartRenderer.ConcernOrangeHex, colours);
        Assert.Contains(ChartRenderer.NeutralPurpleHex, colours);
        if (kind == ChartKind.Full) Assert.Contains(ChartRenderer.CommonCauseGreyHex, colours); // sparklines leave common-cause points unmarked
    }

    [Fact]
    public void Render_SameModelTwice_SameBytes()
    {
        var model = ChartSamples.CostWithGapsAndRebase(52);
        Assert.Equal(Renderer.Render(model).Png, Renderer.Render(model).Png);
        var spark = model with { Kind = ChartKind.Sparkline };
        Assert.Equal(Renderer.Render(spark).Png, Renderer.Render(spark).Png);
    }

    [Fact]
    public void Render_ServerCulture_DoesNotChangeThePicture()
    {
        var model = ChartSamples.CostWithGapsAndRebase(26) with { Points = ChartSamples.CostWithGapsAndRebase(26).Points.Select(p => p with { Value = p.Value * 3 }).ToList() };
        var original = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
            var invariant = Renderer.Render(model).Png;
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(invariant, Renderer.Render(model).Png);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void Render_DifferentFigures_DifferentPicture()
    {
        var before = ChartSamples.Falls(26);
        var after = before with { Points = [.. before.Points.SkipLast(1), before.Points[^1] with { Value = 8 }] };
        Assert.NotEqual(Renderer.Render(before).Png, Renderer.Render(after).Png);
    }

    [Fact]
    public void Render_ConcurrentCalls_AllSucceed()
    {
        var models = Enumerable.Range(1, 8).Select(i => ChartSamples.Falls(10 * i, improved: 7, kind: i % 2 == 0 ? ChartKind.Full : ChartKind.Sparkline)).ToList();
        var sizes = new (int, int)[models.Count];
        Parallel.For(0, models.Count, i => sizes[i] = ChartSamples.ReadPngSize(Renderer.Render(models[i]).Png));
        Assert.All(sizes.Select((s, i) => (s, i)), x => Assert.Equal(ChartRenderer.SizeOf(models[x.i].Kind), x.s));
    }

    [Fact]
    public void Render_WithoutAnyFont_StillGivesAPicture()
    {
        var chart = new ChartRenderer(ChartFonts.None).Render(ChartSamples.CostWithGapsAndRebase(26));
        Assert.Equal((800, 400), ChartSamples.ReadPngSize(chart.Png));
    }

    [Fact]
    public void Render_InvalidModel_Throws()
    {
        var model = ChartSamples.Falls(3) with { Annotations = [new ChartAnnotation("2031-W01", "change adopted")] };
        var error = Assert.Throws<ArgumentException>(() => Renderer.Render(model));
        Assert.Contains("2031-W01", error.Message);
    }

    [Fact]
    public void Fonts_OnThisMachine_AreUsable()
    {
        // Debian: fonts-dejavu-core. Without it the renderer still works (see the test above), only without text.
        var fonts = ChartFonts.Resolve();
        Assert.Equal(fonts.Family is not null, fonts.CanDrawText);
        Assert.False(string.IsNullOrEmpty(fonts.Source));
    }

    [Fact]
    public void Fonts_FileThatIsNotAFont_MeansNoText()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a font");
            var fonts = ChartFonts.Resolve(path);
            Assert.False(fonts.CanDrawText);
            Assert.Contains(path, fonts.Source);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fonts_FromAFontFile_AreUsedByName()
    {
        var installed = new[] { "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf" }.FirstOrDefault(File.Exists);
        if (installed is null) return; // nothing to load on a machine without fonts; covered by the no-font tests
        var fonts = ChartFonts.Resolve(installed);
        Assert.True(fonts.CanDrawText);
        Assert.StartsWith(ChartFonts.FileFontFamily, fonts.Family);
        Assert.Equal(fonts.Family, ChartFonts.Resolve(installed).Family);
        Assert.Equal((800, 400), ChartSamples.ReadPngSize(new ChartRenderer(fonts).Render(ChartSamples.Falls(12)).Png));
    }
}
