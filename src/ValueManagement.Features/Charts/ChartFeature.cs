using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Charts;

/// <summary>
/// Whether charts are on, and what they are made with, decided once at start from
/// <see cref="ChartOptions"/>: a missing key or base URL switches the feature off (with a warning),
/// never the bot.
/// </summary>
public sealed class ChartFeature
{
    public ChartFeature(IOptions<ChartOptions> options, IHostEnvironment environment, TimeProvider time, IServiceProviderIsService services, ILogger<ChartFeature> logger)
    {
        var settings = options.Value;
        Lifetime = settings.UrlLifetime;
        MaxConcurrentRenders = settings.MaxConcurrentRenders ?? Environment.ProcessorCount;

        try
        {
            Fonts = ChartFonts.Resolve(settings.FontFile);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            // SkiaSharp's native library is missing or does not fit this platform: nothing can be drawn.
            logger.LogWarning(e, "Charts are off: SkiaSharp's native library cannot be loaded on this machine, so no chart can be drawn. Cards are posted without chart images.");
            Fonts = ChartFonts.None;
            DisabledReason = "SkiaSharp's native library cannot be loaded";
            Renderer = new ChartRenderer(Fonts);
            return;
        }
        Renderer = new ChartRenderer(Fonts);

        var key = ChartUrlSigner.DecodeKey(settings.SigningKey);
        if (key is null && environment.IsDevelopment())
        {
            key = RandomNumberGenerator.GetBytes(ChartUrlSigner.MinKeyBytes);
            logger.LogWarning("Charts:SigningKey is not set: using a random key for this run (Development). Chart URLs posted now stop working when the bot restarts; set Charts:SigningKey to keep them.");
        }

        if (key is null)
            DisabledReason = "Charts:SigningKey is not set";
        else if (string.IsNullOrWhiteSpace(settings.PublicBaseUrl))
            DisabledReason = "Charts:PublicBaseUrl is not set";
        else if (!services.IsService(typeof(IChartSource)))
            DisabledReason = "no chart source (IChartSource) is registered";

        if (DisabledReason is not null)
        {
            logger.LogWarning("Charts are off: {Reason}. Cards are posted without chart images.", DisabledReason);
            return;
        }

        var baseUrl = settings.PublicBaseUrl!.Trim();
        PublicBaseUrl = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute);
        Signer = new ChartUrlSigner(key!, Lifetime, time, settings.RetiredSigningKeys.Select(ChartUrlSigner.DecodeKey).OfType<byte[]>());

        if (!Fonts.CanDrawText)
        {
            logger.LogWarning(
                "Charts: no usable font ({Source}), so full charts would have no labels or legend: cards get sparklines only. Install a font (Debian: apt-get install fonts-dejavu-core) or set Charts:FontFile.",
                Fonts.Source);
        }
        logger.LogInformation(
            "Charts on: images at {BaseUrl}charts/…, URLs valid for {Days:0} days, text in {Font}.",
            PublicBaseUrl, Lifetime.TotalDays, Fonts.Source);
    }

    public bool IsEnabled => DisabledReason is null;

    /// <summary>Why charts are off; null when they are on.</summary>
    public string? DisabledReason { get; }

    /// <summary>Set when charts are on.</summary>
    public ChartUrlSigner? Signer { get; }

    /// <summary>Set when charts are on; ends with a slash.</summary>
    public Uri? PublicBaseUrl { get; }

    public TimeSpan Lifetime { get; }

    public ChartFonts Fonts { get; }

    public ChartRenderer Renderer { get; }

    public int MaxConcurrentRenders { get; }

    /// <summary>Full charts need text; sparklines have none.</summary>
    public bool CanServe(ChartKind kind) => IsEnabled && (kind == ChartKind.Sparkline || Fonts.CanDrawText);
}

/// <summary>Makes the chart feature decide (and log) its state when the host starts, not at the first card.</summary>
internal sealed class ChartStartup(ChartFeature feature) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = feature.IsEnabled;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
