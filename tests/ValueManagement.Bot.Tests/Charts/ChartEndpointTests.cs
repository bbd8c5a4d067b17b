using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Charts;

namespace ValueManagement.Bot.Tests.Charts;

/// <summary>Cards link chart images; Teams fetches them from the bot at signed URLs.</summary>
public sealed class ChartEndpointTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static readonly string SigningKey = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 13 + 5)).ToArray());
    private static readonly ChartRequest Ward7Falls = new("ward-7", "falls", "2026-W48", ChartKind.Full, "rev-1042");

    /// <summary>
    /// The endpoint's mechanics are tested with sparklines, which have no text and so are served on
    /// any machine; full charts need a font (Debian: fonts-dejavu-core), see the first test.
    /// </summary>
    private static readonly ChartRequest Ward7FallsSparkline = Ward7Falls with { Kind = ChartKind.Sparkline };

    private static readonly bool FontInstalled = ChartFonts.Resolve().CanDrawText;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    private static Dictionary<string, string?> ChartSettings(string? key = null, string baseUrl = "https://vm-bot.example.nhs.uk") => new()
    {
        ["Charts:SigningKey"] = key ?? SigningKey,
        ["Charts:PublicBaseUrl"] = baseUrl,
    };

    private Task<ChartHost> StartAsync(FakeChartSource? source, Dictionary<string, string?>? charts = null, string environmentName = "Production") =>
        ChartHost.StartAsync(environment, charts ?? ChartSettings(), source, environmentName, services => services.AddSingleton<TimeProvider>(_time));

    private static FakeChartSource Ward7() => new FakeChartSource().Add("ward-7", "falls", FakeChartSource.Falls());

    /// <summary>The path and query of a card's image URL, to fetch from the test host instead of the public name.</summary>
    private static string PathOf(ChartLink link) => link.Url.PathAndQuery;

    [Fact]
    public async Task CardLink_FetchedLikeTeams_GivesThePng_CachedForTheUrlsLife()
    {
        var source = Ward7();
        await using var host = await StartAsync(source);

        var link = await host.Links.ForAsync(Ward7Falls);
        if (!FontInstalled)
        {
            // A machine without fonts: no full charts (they would have no labels), and the log says how to fix it.
            Assert.Null(link);
            Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("fonts-dejavu-core"));
            return;
        }
        Assert.NotNull(link);
        Assert.StartsWith("https://vm-bot.example.nhs.uk/charts/", link.Url.AbsoluteUri);
        Assert.Equal(
            "Falls per week, 26 weeks to 2026-W48: latest 3, average 4.2, process limits 0 to 9.1, target 3; special cause improvement in the last 7 weeks (below average); change adopted at 2026-W42.",
            link.AltText);

        using var response = await host.Client.GetAsync(PathOf(link));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((800, 400), PngSize(png));
        Assert.InRange(png.Length, 1000, 200_000);
        Assert.Equal(png.Length, response.Content.Headers.ContentLength);
        Assert.Equal([Ward7Falls, Ward7Falls], source.Asked);
    }

    [Fact]
    public async Task Sparkline_IsSmall_AndAnUnversionedUrlIsCachedBriefly()
    {
        await using var host = await StartAsync(Ward7());
        var link = await host.Links.ForAsync(Ward7Falls with { Kind = ChartKind.Sparkline, DataVersion = null });
        Assert.NotNull(link);
        Assert.Equal((240, 60), (link.Width, link.Height));

        using var response = await host.Client.GetAsync(PathOf(link));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=600", response.Headers.CacheControl?.ToString());
        Assert.Equal((240, 60), PngSize(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task AnythingWrongWithTheUrl_IsABare404()
    {
        await using var host = await StartAsync(Ward7());
        var good = (await host.Links.ForAsync(Ward7FallsSparkline))!;
        var token = good.Url.Segments[^1][..^".png".Length];
        var bytes = Base64Url.DecodeFromChars(token);
        var tampered = (byte[])bytes.Clone();
        tampered[11] ^= 0x20; // ward-7 → Ward-7
        var otherKey = new ChartUrlSigner(new byte[32], TimeSpan.FromDays(365), _time).CreateToken(Ward7FallsSparkline);

        string[] paths =
        [
            $"/charts/{Base64Url.EncodeToString(tampered)}.png",
            $"/charts/{token[..^2]}.png",
            $"/charts/{otherKey}.png",
            $"/charts/{token}x.png",
            "/charts/.png",
            "/charts/not-a-token.png",
            "/charts/a.b.png",
            $"/charts/{new string('A', 3000)}.png",
            $"/charts/{token}.jpg",
            $"/charts/{token}",
        ];
        foreach (var path in paths)
        {
            using var response = await host.Client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        }
        using var stillGood = await host.Client.GetAsync(PathOf(good));
        Assert.Equal(HttpStatusCode.OK, stillGood.StatusCode);
    }

    [Fact]
    public async Task ExpiredUrl_Is404()
    {
        await using var host = await StartAsync(Ward7());
        var link = (await host.Links.ForAsync(Ward7FallsSparkline))!;
        _time.Advance(TimeSpan.FromDays(366));

        using var response = await host.Client.GetAsync(PathOf(link));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task UnknownTeamOrMeasure_Is404()
    {
        var source = Ward7();
        await using var host = await StartAsync(source);
        var signer = host.App.Services.GetRequiredService<ChartFeature>().Signer!;

        foreach (var request in new[] { Ward7FallsSparkline with { TeamId = "ward-99" }, Ward7FallsSparkline with { MeasureKey = "no-such-measure" } })
        {
            Assert.Null(await host.Links.ForAsync(request));
            using var response = await host.Client.GetAsync(ChartEndpoints.PathFor(signer.CreateToken(request)));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    [Fact]
    public async Task FailingSource_Is503_Never500()
    {
        var source = Ward7();
        await using var host = await StartAsync(source);
        var link = (await host.Links.ForAsync(Ward7FallsSparkline))!;
        source.Failure = new IOException("the data file is locked");

        using var response = await host.Client.GetAsync(PathOf(link));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("chart source failed"));
    }

    [Fact]
    public async Task UndrawableChartFromTheSource_Is404_AndLogged()
    {
        var broken = FakeChartSource.Falls() with { Annotations = [new ChartAnnotation("2031-W01", "change adopted")] };
        var source = new FakeChartSource().Add("ward-7", "falls", broken);
        await using var host = await StartAsync(source);
        var token = host.App.Services.GetRequiredService<ChartFeature>().Signer!.CreateToken(Ward7FallsSparkline);

        using var response = await host.Client.GetAsync(ChartEndpoints.PathFor(token));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("2031-W01"));
    }

    [Fact]
    public async Task ManyFetchesAtOnce_AllServed_WithOneRenderer()
    {
        var charts = ChartSettings();
        charts["Charts:MaxConcurrentRenders"] = "1";
        await using var host = await StartAsync(Ward7(), charts);
        var kinds = FontInstalled ? new[] { ChartKind.Full, ChartKind.Sparkline } : [ChartKind.Sparkline];
        var links = kinds
            .SelectMany(kind => Enumerable.Range(0, 3).Select(i => Ward7FallsSparkline with { Kind = kind, DataVersion = $"rev-{i}" }))
            .Select(request => host.Links.ForAsync(request).AsTask())
            .ToList();
        var paths = (await Task.WhenAll(links)).Select(link => PathOf(link!)).ToList();

        var responses = await Task.WhenAll(paths.Select(path => host.Client.GetAsync(path)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var r in responses) r.Dispose();
    }

    [Fact]
    public async Task NoSigningKey_InProduction_BotStarts_ChartsOff_WithAWarning()
    {
        var source = Ward7();
        await using var host = await StartAsync(source, new() { ["Charts:PublicBaseUrl"] = "https://vm-bot.example.nhs.uk" });

        using var health = await host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(host.Links.IsEnabled);
        Assert.Null(await host.Links.ForAsync(Ward7FallsSparkline));
        var token = new ChartUrlSigner(Convert.FromBase64String(SigningKey), TimeSpan.FromDays(1), _time).CreateToken(Ward7FallsSparkline);
        using var response = await host.Client.GetAsync(ChartEndpoints.PathFor(token));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(source.Asked);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Charts are off: Charts:SigningKey is not set"));
    }

    [Fact]
    public async Task NoChartSettingsAtAll_BotStarts_ChartsOff()
    {
        await using var host = await StartAsync(Ward7(), new());
        using var health = await host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(host.Links.IsEnabled);
    }

    [Fact]
    public async Task WeakSigningKey_StopsTheBotAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(Ward7(), ChartSettings(key: Convert.ToBase64String(new byte[16]))));
        Assert.Contains("Charts:SigningKey", error.Message);
    }

    [Fact]
    public async Task HttpBaseUrl_InProduction_StopsTheBotAtStart()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(Ward7(), ChartSettings(baseUrl: "http://vm-bot.example.nhs.uk")));
        Assert.Contains("https", error.Message);
    }

    [Fact]
    public async Task Development_WithoutKey_RandomKey_LocalHttpBaseUrl_Works()
    {
        await using var host = await StartAsync(Ward7(), new() { ["Charts:PublicBaseUrl"] = "http://127.0.0.1:3978" }, "Development");

        var link = await host.Links.ForAsync(Ward7FallsSparkline);
        Assert.NotNull(link);
        Assert.StartsWith("http://127.0.0.1:3978/charts/", link.Url.AbsoluteUri);
        using var response = await host.Client.GetAsync(PathOf(link));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("random key"));
    }

    [Fact]
    public async Task TheSameKey_AfterARestart_OldUrlsStillWork()
    {
        string path;
        await using (var first = await StartAsync(Ward7()))
            path = PathOf((await first.Links.ForAsync(Ward7FallsSparkline))!);

        await using var second = await StartAsync(Ward7());
        using var response = await second.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", Encoding.ASCII.GetString(png, 12, 4));
        return (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
    }
}
