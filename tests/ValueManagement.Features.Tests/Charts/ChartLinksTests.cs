using System.Buffers.Text;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Features.Charts;

namespace ValueManagement.Features.Tests.Charts;

public sealed class ChartLinksTests
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(255 - i)).ToArray());
    private static readonly ChartRequest Request = new("ward-7", "falls", "2026-W48", ChartKind.Full, "rev-7");

    /// <summary>Served on any machine: sparklines need no font. Full charts need one (Debian: fonts-dejavu-core).</summary>
    private static readonly ChartRequest SparklineRequest = Request with { Kind = ChartKind.Sparkline };

    private static readonly bool FontInstalled = ChartFonts.Resolve().CanDrawText;
    private readonly ListLoggerProvider _logs = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    private sealed class Source(ChartModel? model) : IChartSource
    {
        public List<ChartRequest> Asked { get; } = [];

        public ValueTask<ChartModel?> GetChartAsync(ChartRequest request, CancellationToken cancellationToken)
        {
            Asked.Add(request);
            return ValueTask.FromResult(model);
        }
    }

    private ServiceProvider Provider(Dictionary<string, string?> settings, string environment = "Production", IChartSource? source = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        services.AddSingleton<TimeProvider>(_time);
        if (source is not null) services.AddSingleton(source);
        services.AddCharts(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private static Dictionary<string, string?> On(string baseUrl = "https://vm-bot.example.nhs.uk") =>
        new() { ["Charts:SigningKey"] = Key, ["Charts:PublicBaseUrl"] = baseUrl };

    private List<string> Warnings() => _logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();

    [Fact]
    public async Task On_LinkIsASignedHttpsUrl_WithAltTextAndSize()
    {
        var source = new Source(ChartSamples.Falls(26, improved: 7));
        using var provider = Provider(On("https://vm-bot.example.nhs.uk/bot"), source: source);
        var links = provider.GetRequiredService<IChartLinks>();

        var request = FontInstalled ? Request : SparklineRequest;
        var link = await links.ForAsync(request);

        Assert.NotNull(link);
        Assert.True(links.IsEnabled);
        Assert.Equal("https", link.Url.Scheme);
        Assert.Equal("vm-bot.example.nhs.uk", link.Url.Host);
        Assert.Matches("^/bot/charts/[A-Za-z0-9_-]+\\.png$", link.Url.AbsolutePath);
        Assert.Equal(ChartRenderer.SizeOf(request.Kind), (link.Width, link.Height));
        Assert.StartsWith("Falls per week, 26 weeks to ", link.AltText);
        Assert.Equal([request], source.Asked);

        var token = link.Url.Segments[^1][..^".png".Length];
        Assert.Equal(request, provider.GetRequiredService<ChartFeature>().Signer!.Verify(token).Request);
        // What the URL tells a reader: ids, week and version, no figures.
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)[..^32]);
        Assert.Equal($"vm-chart-1\nward-7\nfalls\n2026-W48\n{(FontInstalled ? "f" : "s")}\nrev-7\n1827619200", payload); // expires 2027-12-01T00:00Z
    }

    [Fact]
    public void For_WithTheModelInHand_DrawsAsTheRequestSays()
    {
        using var provider = Provider(On(), source: new Source(null));
        var link = provider.GetRequiredService<IChartLinks>().For(Request with { Kind = ChartKind.Sparkline }, ChartSamples.Falls(12));
        Assert.NotNull(link);
        Assert.Equal((240, 60), (link.Width, link.Height));
    }

    [Fact]
    public async Task UnknownChart_NoLink()
    {
        using var provider = Provider(On(), source: new Source(null));
        Assert.Null(await provider.GetRequiredService<IChartLinks>().ForAsync(Request));
    }

    [Fact]
    public void UndrawableModel_NoLink_AndTheLogSaysWhy()
    {
        using var provider = Provider(On(), source: new Source(null));
        var broken = ChartSamples.Falls(3) with { Annotations = [new ChartAnnotation("2031-W01", "change adopted")] };
        Assert.Null(provider.GetRequiredService<IChartLinks>().For(SparklineRequest, broken));
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("2031-W01"));
    }

    [Fact]
    public async Task NoSigningKey_InProduction_Off_WithAWarning()
    {
        using var provider = Provider(new() { ["Charts:PublicBaseUrl"] = "https://vm-bot.example.nhs.uk" }, source: new Source(ChartSamples.Falls(12)));
        var links = provider.GetRequiredService<IChartLinks>();
        Assert.False(links.IsEnabled);
        Assert.Null(await links.ForAsync(Request));
        Assert.Null(links.For(Request, ChartSamples.Falls(12)));
        Assert.Contains(Warnings(), w => w.Contains("Charts are off") && w.Contains("Charts:SigningKey"));
    }

    [Fact]
    public void NoPublicBaseUrl_Off_WithAWarning()
    {
        using var provider = Provider(new() { ["Charts:SigningKey"] = Key }, source: new Source(ChartSamples.Falls(12)));
        Assert.False(provider.GetRequiredService<IChartLinks>().IsEnabled);
        Assert.Contains(Warnings(), w => w.Contains("Charts:PublicBaseUrl"));
    }

    [Fact]
    public void NoChartSource_Off_WithAWarning()
    {
        using var provider = Provider(On());
        Assert.False(provider.GetRequiredService<IChartLinks>().IsEnabled);
        Assert.Contains(Warnings(), w => w.Contains("IChartSource"));
    }

    [Fact]
    public async Task Development_WithoutKey_UsesARandomKey_AndWarnsThatUrlsDieWithTheProcess()
    {
        var settings = new Dictionary<string, string?> { ["Charts:PublicBaseUrl"] = "http://localhost:3978" };
        using var first = Provider(settings, "Development", new Source(ChartSamples.Falls(12)));
        var link = await first.GetRequiredService<IChartLinks>().ForAsync(SparklineRequest);
        Assert.NotNull(link);
        Assert.Equal("http://localhost:3978/", link.Url.GetLeftPart(UriPartial.Authority) + "/");
        Assert.Contains(Warnings(), w => w.Contains("random key") && w.Contains("restart"));

        // A restart: another random key, so the old URL no longer verifies.
        using var second = Provider(settings, "Development", new Source(ChartSamples.Falls(12)));
        var token = link.Url.Segments[^1][..^".png".Length];
        Assert.Equal(ChartTokenStatus.BadSignature, second.GetRequiredService<ChartFeature>().Signer!.Verify(token).Status);
    }

    [Fact]
    public async Task NoUsableFont_FullChartsOff_SparklinesStillOn()
    {
        var notAFont = Path.GetTempFileName();
        try
        {
            File.WriteAllText(notAFont, "not a font");
            var settings = On();
            settings["Charts:FontFile"] = notAFont;
            using var provider = Provider(settings, source: new Source(ChartSamples.Falls(12)));
            var links = provider.GetRequiredService<IChartLinks>();
            Assert.True(links.IsEnabled);
            Assert.Null(await links.ForAsync(Request));
            Assert.NotNull(await links.ForAsync(Request with { Kind = ChartKind.Sparkline }));
            Assert.Contains(Warnings(), w => w.Contains("fonts-dejavu-core"));
        }
        finally
        {
            File.Delete(notAFont);
        }
    }

    [Fact]
    public void On_LogsWhereImagesAreServed()
    {
        using var provider = Provider(On(), source: new Source(null));
        Assert.True(provider.GetRequiredService<ChartFeature>().IsEnabled);
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("Charts on: images at https://vm-bot.example.nhs.uk/charts/"));
        Assert.DoesNotContain(Warnings(), w => w.StartsWith("Charts", StringComparison.Ordinal) && !w.Contains("font"));
    }
}
